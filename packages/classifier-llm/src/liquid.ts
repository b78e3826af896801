// liquidjs's own ES module build: the package's main entry is CommonJS, and an ES `import` of it
// first has Node scan its 200 KB for named exports (about 40-70 ms of every LLM run's start; this
// build loads in 15-20 ms). A plain import, so bundlers (the Spark worker) see it as any other.
export { Liquid } from 'liquidjs/dist/liquid.node.mjs';
