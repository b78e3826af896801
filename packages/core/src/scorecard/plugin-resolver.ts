import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../common/errors.js';
import type { PluginV1, ScoreFactoryV1 } from '../spec/score-spec.js';
import { closest } from '../text/suggest.js';
import { packageCode } from './package-code.js';
import { findPackage, installedScorePackages } from './package-lookup.js';

/** Plugin names that map to `@plexus/classifier-<name>`. */
export const builtInPlugins: ReadonlySet<string> = new Set(['heuristic', 'forest', 'llm', 'onnx']);

const packageName = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

export interface ParsedClass {
  pluginName: string;
  packageName: string;
  kind: string;
}

/** Splits `heuristic/keywords` or `@acme/plexus-scores/sentiment` into package and kind. */
export function parseScoreClass(className: string): ParsedClass | string {
  const slash = className.lastIndexOf('/');
  if (slash <= 0 || slash === className.length - 1) {
    return `class "${className}" must look like <package>/<kind>, e.g. heuristic/keywords`;
  }
  const pluginName = className.slice(0, slash);
  const kind = className.slice(slash + 1);
  if (!packageName.test(pluginName) || pluginName.includes('..')) {
    return `class "${className}" must name an npm package, not a path`;
  }
  const resolved = builtInPlugins.has(pluginName) ? `@plexus/classifier-${pluginName}` : pluginName;
  return { pluginName, packageName: resolved, kind };
}

export interface PluginResolverOptions {
  /** Plugins given directly (by plugin name or package name); they win over installed packages. */
  plugins?: readonly PluginV1[];
  /** Folders to resolve packages from, in order (the scorecard's folder, the cwd, the CLI). */
  searchFrom: readonly string[];
}

function isPlugin(value: unknown): value is PluginV1 {
  const candidate = value as PluginV1 | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.specificationVersion === 'v1' &&
    Array.isArray(candidate.factories)
  );
}

/** Finds and imports score packages, once each. */
export class PluginResolver {
  private readonly loaded = new Map<string, Promise<PluginV1 | string>>();
  /** `packageCode` of each package imported. */
  private readonly codes = new Map<string, string>();

  constructor(private readonly options: PluginResolverOptions) {}

  /** The factory for a class, or a message saying what is wrong and how to fix it. */
  async factory(parsed: ParsedClass): Promise<ScoreFactoryV1 | string> {
    const plugin = await this.plugin(parsed);
    if (typeof plugin === 'string') return plugin;
    const factory = plugin.factories.find((candidate) => candidate.kind === parsed.kind);
    if (factory) return factory;
    const kinds = plugin.factories.map((candidate) => candidate.kind).join(', ');
    return `unknown kind "${parsed.kind}" in ${parsed.packageName}; it provides: ${kinds}`;
  }

  /** The code identity of a package `factory` imported (`packageCode`); none for a given plugin. */
  codeOf(packageName: string): string | undefined {
    return this.codes.get(packageName);
  }

  private plugin(parsed: ParsedClass): Promise<PluginV1 | string> {
    const given = this.options.plugins?.find(
      (plugin) => plugin.name === parsed.pluginName || plugin.name === parsed.packageName,
    );
    if (given) return Promise.resolve(given);
    let pending = this.loaded.get(parsed.packageName);
    if (!pending) {
      pending = this.importPackage(parsed.packageName);
      this.loaded.set(parsed.packageName, pending);
    }
    return pending;
  }

  private async importPackage(name: string): Promise<PluginV1 | string> {
    const found = findPackage(name, this.options.searchFrom);
    if (!found) return notInstalled(name, this.options.searchFrom);
    if (!found.entry) {
      return `found ${name} at ${found.folder} but it has no built entry (${relative(found.folder, found.declaredEntry)} is missing): build it (npm run build in that folder)`;
    }
    const resolved = found.entry;
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    } catch (error) {
      return `package ${name} failed to load: ${errorMessage(error)}`;
    }
    const plugin = [module.plugin, module.default].find(isPlugin);
    if (!plugin) {
      return `package ${name} is not a Plexus score package: it exports no "plugin" with specificationVersion "v1"`;
    }
    this.codes.set(name, packageCode(name, found.folder, resolved));
    return plugin;
  }
}

/** The class prefix a package is written with: `heuristic` for `@plexus/classifier-heuristic`. */
function classPrefix(packageName: string): string {
  const builtIn = /^@plexus\/classifier-(.+)$/.exec(packageName)?.[1];
  return builtIn && builtInPlugins.has(builtIn) ? builtIn : packageName;
}

/** Says a package is missing, with the closest installed score package, then how to install. */
function notInstalled(name: string, searchFrom: readonly string[]): string {
  // By the prefix a class is written with (`heuristic`) and by the whole package name.
  const byPrefix = new Map<string, string>();
  for (const installed of installedScorePackages(searchFrom)) {
    byPrefix.set(classPrefix(installed), installed);
    byPrefix.set(installed, installed);
  }
  const written = classPrefix(name);
  const near = closest(written, byPrefix.keys());
  if (!near || near === written)
    return `no package named ${name} is installed; install it with: npm install ${name}`;
  const installed = byPrefix.get(near);
  const shown = near === installed ? near : `${near} (${installed})`;
  return `no package named ${name} is installed; did you mean ${shown}? (if ${name} is the package you want, install it with: npm install ${name})`;
}
