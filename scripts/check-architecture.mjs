// The architecture's rules, checked on every `pnpm test` (docs/ARCHITECTURE.md explains them):
//   1. core imports no plexus package;
//   2. a classifier package imports only core (`@plexus/core`, `@plexus/core/<subpath>`);
//   3. a runner takes only `plugin` from a classifier's main entry: the rest comes from its
//      `/internal` subpath (the main entry is for users, `/internal` moves with the runner);
//   4. no import cycle between the files of one package (type-only imports count: a cycle of
//      types is still two files that cannot be understood one before the other).
// Reads the TypeScript sources of packages/*/src with the TypeScript parser (static imports,
// re-exports, `import()` and `typeof import()`). Usage: node scripts/check-architecture.mjs [root]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const sourceExtensions = ['.ts', '.tsx', '.mts'];

/** `core`, `classifier`, `runner` or `other`, from the package's folder name. */
export function packageKind(folder) {
  if (folder === 'core') return 'core';
  if (folder.startsWith('classifier-')) return 'classifier';
  if (folder.endsWith('-runner')) return 'runner';
  return 'other';
}

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    const isSource = sourceExtensions.some((extension) => entry.name.endsWith(extension));
    return isSource && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function namesOf(clause) {
  if (!clause) return [];
  const names = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (!bindings) return names;
  if (ts.isNamespaceImport(bindings)) return null;
  return [
    ...names,
    ...bindings.elements.map((element) => (element.propertyName ?? element.name).text),
  ];
}

function literalArgument(node) {
  const argument = node.arguments?.[0];
  return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

/**
 * The imports of one file: `{ specifier, names, typeOnly, line }`, where `names` is null when
 * unknown (a namespace import, `export *`, `import()`), and [] for a side-effect import.
 */
export function importsOf(path, text = readFileSync(path, 'utf8')) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (node, specifier, names, typeOnly) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ specifier, names, typeOnly, line });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteralLike(node.moduleSpecifier)) {
      const typeOnly = node.importClause?.isTypeOnly ?? false;
      add(node, node.moduleSpecifier.text, namesOf(node.importClause), typeOnly);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteralLike(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const names =
        clause && ts.isNamedExports(clause)
          ? clause.elements.map((element) => (element.propertyName ?? element.name).text)
          : null;
      add(node, node.moduleSpecifier.text, names, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const specifier = literalArgument(node);
      if (specifier) add(node, specifier, null, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteralLike(literal)) add(node, literal.text, null, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The source file a relative specifier names (`./x.js` is `x.ts`), or undefined. */
function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [
    base,
    ...sourceExtensions.map((extension) => stem + extension),
    ...sourceExtensions.map((extension) => join(base, `index${extension}`)),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** Which workspace package a bare specifier names, and which of its entries. */
function workspaceTarget(specifier, packagesByName) {
  for (const [name, target] of packagesByName) {
    if (specifier === name) return { ...target, entry: '.' };
    if (specifier.startsWith(`${name}/`))
      return { ...target, entry: specifier.slice(name.length + 1) };
  }
  return undefined;
}

function ruleProblems(owner, target, item) {
  if (target.folder === owner.folder) return [];
  if (owner.kind === 'core')
    return [
      `core imports ${item.specifier}: core imports no plexus package (the arrows point to core)`,
    ];
  if (owner.kind === 'classifier' && target.kind !== 'core')
    return [
      `${owner.name} imports ${item.specifier}: a classifier imports only @plexus/core (classifiers never import each other or the tools)`,
    ];
  if (owner.kind === 'runner' && target.kind === 'classifier' && target.entry === '.') {
    const outside = item.names === null ? null : item.names.filter((name) => name !== 'plugin');
    if (outside === null)
      return [
        `${owner.name} imports all of ${item.specifier}: a runner takes only \`plugin\` from a classifier's main entry; import the rest from ${item.specifier}/internal`,
      ];
    if (outside.length > 0)
      return [
        `${owner.name} imports ${outside.join(', ')} from ${item.specifier}: a runner takes only \`plugin\` from a classifier's main entry; import these from ${item.specifier}/internal`,
      ];
  }
  return [];
}

/** Cycles among `graph` (file -> files it imports), each as a list of files, first repeated. */
export function findCycles(graph) {
  const state = new Map();
  const stack = [];
  const cycles = [];
  const seen = new Set();
  const visit = (file) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

function readPackages(root) {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .filter((folder) => existsSync(join(packagesDir, folder, 'package.json')))
    .sort()
    .map((folder) => {
      const dir = join(packagesDir, folder);
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { folder, dir, name, kind: packageKind(folder) };
    });
}

function checkPackage(root, owner, packagesByName) {
  const problems = [];
  const graph = new Map();
  for (const file of sourceFiles(join(owner.dir, 'src'))) {
    const edges = new Set();
    graph.set(file, edges);
    for (const item of importsOf(file)) {
      const where = `${relative(root, file)}:${item.line}`;
      if (item.specifier.startsWith('.')) {
        const target = resolveRelative(file, item.specifier);
        if (target && !target.startsWith(`${owner.dir}/`))
          problems.push(
            `${where}: ${item.specifier} reaches into another folder's files; import the package by its name`,
          );
        else if (target) edges.add(target);
        continue;
      }
      const target = workspaceTarget(item.specifier, packagesByName);
      if (target)
        for (const problem of ruleProblems(owner, target, item))
          problems.push(`${where}: ${problem}`);
    }
  }
  for (const cycle of findCycles(graph))
    problems.push(
      `${relative(root, owner.dir)}: import cycle ${cycle.map((file) => relative(owner.dir, file)).join(' -> ')}: move what both need into a third file`,
    );
  return problems;
}

/** Every broken rule under `root` (a checkout of the monorepo), one message each. */
export function checkArchitecture(root) {
  const packages = readPackages(root);
  const packagesByName = new Map(packages.map((entry) => [entry.name, entry]));
  return packages.flatMap((owner) => checkPackage(root, owner, packagesByName));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
  const problems = checkArchitecture(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    const rules = problems.length === 1 ? 'rule' : 'rules';
    console.error(
      `check-architecture: ${problems.length} broken ${rules} (see docs/ARCHITECTURE.md)`,
    );
    process.exit(1);
  }
  console.log('check-architecture: packages and imports follow docs/ARCHITECTURE.md');
}
