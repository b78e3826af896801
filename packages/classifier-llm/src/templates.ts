import { Liquid } from 'liquidjs';

// Templates may not read files: every partial or layout lookup fails.
const noFiles = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  readFileSync: (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_root: string, file: string) => file,
};

const engine = new Liquid({
  fs: noFiles,
  root: [],
  partials: [],
  layouts: [],
  relativeReference: false,
  ownPropertyOnly: true,
});

/** A parsed Liquid template; rendering sees only the values it is given. */
export interface Template {
  render(scope: Record<string, unknown>): Promise<string>;
}

/** Parses a template once; throws with Liquid's message (line and column) when it is invalid. */
export function parseTemplate(source: string): Template {
  const parsed = engine.parse(source);
  return { render: (scope) => engine.render(parsed, scope) as Promise<string> };
}
