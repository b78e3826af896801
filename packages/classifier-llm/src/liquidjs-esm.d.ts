// The ES module build of liquidjs (see liquid.ts) has the package's types.
declare module 'liquidjs/dist/liquid.node.mjs' {
  export * from 'liquidjs';
}
