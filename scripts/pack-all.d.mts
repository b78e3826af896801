/** The published packages: folder name under packages/ → package name. */
export function publishedPackages(): Map<string, string>;
/** Packs each published package into `destination`; folder name → tarball path. */
export function packAll(destination: string): Map<string, string>;
