import {
  type ConfigProblem,
  ExpressionError,
  errorMessage,
  InvalidConfigError,
  matchLabel,
  parseSafeExpression,
  type SafeExpression,
} from '@plexus/core';
import { showsText } from './empty-text.js';
import { type GraphNode, type GraphSettings, nodeLabels } from './graph-settings.js';
import { templateVariables } from './score-needs.js';
import { parseTemplate, type Template } from './templates.js';

/** Where a label leads: the index of the next node, or the end. */
export type Step =
  | { next: number }
  | { end: { value: Template; explanation: Template | undefined; reads: string[] } };

/** A checked node, its templates or expressions compiled, its routes resolved. */
export interface PlannedNode {
  node: GraphNode;
  labels: string[];
  prompt?: Template;
  system?: Template;
  rules?: { expression: SafeExpression; label: string }[];
  /** Route per label (labels without a route fall through to the next node). */
  steps: Map<string, Step>;
  /** The nodes its prompt, system message or `in` read (`nodes.x`): said when a path skipped them. */
  reads?: string[];
}

export interface GraphPlan {
  nodes: PlannedNode[];
  /** `reads`: the nodes its explanation reads (said when the path did not ask them). */
  output: { value: Template; explanation: Template | undefined; reads: string[] } | undefined;
}

/**
 * Checks a graph before any call: unique names, routes only to later nodes or the end, routed
 * labels the node can give, end values among the score's labels, no unreachable node, and logic
 * rules that read only earlier nodes and declared dependencies. Every problem is reported at once.
 */
export function planGraph(
  settings: GraphSettings,
  scoreLabels: readonly string[],
  dependsOn: readonly string[],
): GraphPlan {
  const problems: ConfigProblem[] = [];
  const index = new Map<string, number>();
  settings.nodes.forEach((node, position) => {
    if (index.has(node.name))
      problems.push({
        path: `nodes.${position}.name`,
        message: `duplicate node name "${node.name}"`,
      });
    else index.set(node.name, position);
  });
  const template = (source: string, path: string): Template | undefined => {
    try {
      return parseTemplate(source, settings.template_limits);
    } catch (error) {
      problems.push({ path, message: `invalid template: ${errorMessage(error)}` });
      return undefined;
    }
  };
  const planned: PlannedNode[] = settings.nodes.map((node, position) => {
    const at = `nodes.${position}`;
    const labels = nodeLabels(node);
    const steps = new Map<string, Step>();
    for (const [label, target] of Object.entries(node.routes ?? {})) {
      const routeAt = `${at}.routes.${label}`;
      if (matchLabel(label, labels) === undefined) {
        problems.push({
          path: routeAt,
          message: `node "${node.name}" cannot give "${label}" (it gives: ${labels.join(', ')})`,
        });
        continue;
      }
      if (typeof target === 'string') {
        const next = index.get(target);
        if (next === undefined)
          problems.push({
            path: routeAt,
            message: `unknown node "${target}" (nodes: ${[...index.keys()].join(', ')})`,
          });
        else if (next <= position)
          problems.push({
            path: routeAt,
            message: `"${target}" does not come after "${node.name}": graphs run forward only`,
          });
        else steps.set(matchLabel(label, labels)!, { next });
      } else {
        const value = template(target.end.value, `${routeAt}.end.value`);
        if (
          !target.end.value.includes('{{') &&
          matchLabel(target.end.value, scoreLabels) === undefined
        ) {
          problems.push({
            path: `${routeAt}.end.value`,
            message: `"${target.end.value}" is not one of the score's labels (${scoreLabels.join(', ')})`,
          });
        }
        const explanation =
          target.end.explanation === undefined
            ? undefined
            : template(target.end.explanation, `${routeAt}.end.explanation`);
        const reads = nodesRead([target.end.explanation]);
        if (value) steps.set(matchLabel(label, labels)!, { end: { value, explanation, reads } });
      }
    }
    const plan: PlannedNode = { node, labels, steps };
    if (node.type === 'logic') {
      plan.rules = [];
      node.rules.forEach((rule, ruleIndex) => {
        try {
          const expression = parseSafeExpression(rule.when, [
            'nodes',
            'results',
            'metadata',
            'text',
          ]);
          for (const name of expression.keys.get('nodes') ?? []) {
            const source = index.get(name);
            if (source === undefined || source >= position)
              throw new ExpressionError(`nodes["${name}"] is not a node before "${node.name}"`);
          }
          for (const name of expression.keys.get('results') ?? []) {
            if (!dependsOn.includes(name))
              throw new ExpressionError(
                `results["${name}"] is not a score this score depends on; add it to depends_on`,
              );
          }
          plan.rules!.push({ expression, label: rule.label });
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          problems.push({ path: `${at}.rules.${ruleIndex}.when`, message: error.message });
        }
      });
    } else if (node.type === 'fuzzy') {
      plan.prompt = template(node.in, `${at}.in`);
      plan.reads = nodesRead([node.in]);
    } else {
      plan.prompt = template(node.prompt, `${at}.prompt`);
      if (node.system !== undefined) plan.system = template(node.system, `${at}.system`);
      plan.reads = nodesRead([node.prompt, node.system]);
    }
    return plan;
  });
  problems.push(...unreachable(planned), ...chunkProblems(settings, planned, scoreLabels));
  const output = settings.output
    ? {
        value: template(settings.output.value, 'output.value'),
        explanation:
          settings.output.explanation === undefined
            ? undefined
            : template(settings.output.explanation, 'output.explanation'),
        reads: nodesRead([settings.output.explanation]),
      }
    : undefined;
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return { nodes: planned, output: output as GraphPlan['output'] };
}

/** The node names templates read as `nodes.x` (or `nodes["x"]`). */
function nodesRead(sources: readonly (string | undefined)[]): string[] {
  const names = new Set<string>();
  for (const source of sources)
    for (const segments of (source && templateVariables(source)) || [])
      if (segments[0] === 'nodes' && segments[1] !== undefined) names.add(segments[1]);
  return [...names];
}

/** Nodes no path reaches: the first node is reached; a node leads to its routes and, when a label is not routed, to the next. */
function unreachable(nodes: readonly PlannedNode[]): ConfigProblem[] {
  const reached = new Set<number>([0]);
  for (let position = 0; position < nodes.length; position += 1) {
    if (!reached.has(position)) continue;
    const plan = nodes[position]!;
    for (const step of plan.steps.values()) if ('next' in step) reached.add(step.next);
    if (plan.labels.some((label) => !plan.steps.has(label))) reached.add(position + 1);
  }
  return nodes.flatMap((plan, position) =>
    reached.has(position)
      ? []
      : [
          {
            path: `nodes.${position}`,
            message: `node "${plan.node.name}" is never reached: no route leads to it and the node before it routes every label`,
          },
        ],
  );
}

/** `per_chunk`, `combine` and `positive_label` on nodes, and `chunking.positive_label`, checked. */
function chunkProblems(
  settings: GraphSettings,
  nodes: readonly PlannedNode[],
  scoreLabels: readonly string[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  let perChunk = false;
  nodes.forEach(({ node, labels }, position) => {
    if (node.type === 'logic') return;
    const at = `nodes.${position}`;
    if (node.per_chunk) perChunk = true;
    if (node.per_chunk && !settings.chunking)
      problems.push({
        path: `${at}.per_chunk`,
        message: `node "${node.name}" runs per chunk: set chunking (max_tokens, combine) on the score`,
      });
    // A chunk is shown only through the text: without it every chunk asks (and pays for) the same.
    const reads = node.type === 'fuzzy' ? [node.in] : [node.prompt, node.system];
    if (node.per_chunk && settings.chunking && !showsText(reads))
      problems.push({
        path: `${at}.per_chunk`,
        message: `node "${node.name}" runs per chunk but its ${node.type === 'fuzzy' ? 'in' : 'prompt'} does not show the text ({{ text }}): every chunk would ask the same question; show the text or remove per_chunk`,
      });
    for (const field of ['combine', 'positive_label'] as const) {
      if (node[field] !== undefined && !node.per_chunk)
        problems.push({
          path: `${at}.${field}`,
          message: `${field} applies to a node that runs per chunk: add per_chunk: true to "${node.name}"`,
        });
    }
    if (node.positive_label !== undefined && matchLabel(node.positive_label, labels) === undefined)
      problems.push({
        path: `${at}.positive_label`,
        message: `"${node.positive_label}" is not a label of node "${node.name}" (${labels.join(', ')})`,
      });
  });
  const positive = settings.chunking?.positive_label;
  if (!perChunk && positive !== undefined && matchLabel(positive, scoreLabels) === undefined)
    problems.push({
      path: 'chunking.positive_label',
      message: `"${positive}" is not one of the score's labels (${scoreLabels.join(', ')})`,
    });
  return problems;
}
