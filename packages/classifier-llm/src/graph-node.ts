import { redactedSlice, ScoreCallError, type ScoreItemV1 } from '@plexus/core';
import { type TracedCall, tracedAnswers } from './call-trace.js';
import type { ChatMessage } from './chat-provider.js';
import { readQuote, unaskedNote } from './graph-answers.js';
import { bestPhrase, matchersOf } from './graph-fuzzy.js';
import type { PlannedNode } from './graph-plan.js';
import type { GraphSettings } from './graph-settings.js';
import { quotedAnswer } from './label-parsing.js';
import {
  addUsage,
  emptyUsage,
  explanationOf,
  labelInstruction,
  type ModelClient,
  type UsageTally,
  whyNot,
} from './model-client.js';
import { type NodeUsage, nodeUsage } from './usage-tally.js';

/** What a node gave, as later nodes and templates see it (`nodes.name.value`). */
export interface NodeResult {
  value: string;
  explanation: string;
  /** Extractors: the quote the model gave. */
  quote?: string;
}

/** One step of the path through the graph, kept in the trace. */
export interface TraceStep extends NodeResult {
  node: string;
  answers?: string[];
  attempts?: number;
  /** Classifier nodes: what the last answer lacked (no `finish_reason`) and how it was read. */
  answer_note?: string;
  /** Nodes its prompt (or `in`) read that this item's path did not ask: rendered empty. */
  unasked?: string[];
  /** Nodes that ask the model: their calls, tokens and cost. */
  usage?: NodeUsage;
  /** Nodes that ask the model: each call's rendered messages and raw answer. */
  prompts?: TracedCall[];
}

const quoteInstruction =
  'Answer with the exact words quoted from the text and nothing else, or NONE if the text has no such words.';

export class NodeFailed extends ScoreCallError {
  constructor(message: string, code: string) {
    super(message, { code, retryable: false });
  }
}

/** The node an item's graph failed at, in its trace: the calls it made, or each chunk's error. */
export interface FailedNode {
  node: string;
  prompts: TracedCall[];
  chunks?: { chunk: number; error: string }[];
}

export interface RunContext {
  item: ScoreItemV1;
  client: ModelClient;
  settings: GraphSettings;
  results: Record<string, NodeResult>;
  usage: UsageTally;
  signal: AbortSignal;
  /** The calls of the node being run, for its trace step. */
  prompts?: TracedCall[];
  /** The node that failed, with the calls it made (per chunk: each chunk's error), for the error's trace. */
  failed?: FailedNode;
}

export function scopeOf(context: RunContext): Record<string, unknown> {
  const { item, results } = context;
  return {
    text: item.text,
    metadata: item.metadata,
    results: item.results,
    nodes: results,
    id: item.id,
  };
}

async function messagesFor(
  plan: PlannedNode,
  context: RunContext,
  instruction: string,
): Promise<ChatMessage[]> {
  const scope = scopeOf(context);
  const messages: ChatMessage[] = [];
  if (plan.system) messages.push({ role: 'system', content: await plan.system.render(scope) });
  messages.push({ role: 'user', content: `${await plan.prompt!.render(scope)}\n\n${instruction}` });
  return messages;
}

/** Runs a node with its own usage tally, added to the item's and kept in its trace step. */
export async function runNode(plan: PlannedNode, context: RunContext): Promise<TraceStep> {
  if (plan.node.type === 'logic') return runStep(plan, context);
  if (plan.node.type === 'fuzzy') return saidUnasked(await runStep(plan, context), plan, context);
  const usage = emptyUsage();
  const prompts: TracedCall[] = [];
  try {
    const step = await runStep(plan, { ...context, usage, prompts });
    return saidUnasked({ ...step, usage: nodeUsage(usage), prompts }, plan, context);
  } catch (error) {
    // Named even when no call was answered (a request the endpoint refused, a budget spent).
    context.failed = { node: plan.node.name, prompts };
    throw error;
  } finally {
    addUsage(context.usage, usage);
  }
}

/**
 * The step, saying which nodes its prompt read that this path did not ask (they rendered empty:
 * `The agent said: . Resolved?` was asked without a word).
 */
function saidUnasked(step: TraceStep, plan: PlannedNode, context: RunContext): TraceStep {
  const unasked = unaskedOf(plan.reads, context);
  if (unasked.length === 0) return step;
  return { ...step, explanation: `${step.explanation}${unreadNote(unasked)}`, unasked };
}

function unreadNote(unasked: readonly string[]): string {
  return ` (its prompt read nodes this path did not ask, rendered empty: ${unasked.join(', ')})`;
}

/**
 * A step's explanation as later nodes' templates read it (`nodes.x.explanation`): without the
 * notes of nodes left unasked (its own, or its chunks'), which are for the reader of the trace: a
 * later prompt was sent them (words about Plexus, and a prompt other than before: asked again).
 */
export function explanationForTemplates(step: {
  explanation: string;
  unasked?: readonly string[];
  chunks?: readonly unknown[];
}): string {
  const notes = new Set<string>();
  if (step.unasked) notes.add(unreadNote(step.unasked));
  for (const chunk of step.chunks ?? []) {
    const unasked = (chunk as { unasked?: readonly string[] } | undefined)?.unasked;
    if (unasked) notes.add(unreadNote(unasked));
  }
  let explanation = step.explanation;
  for (const note of notes) explanation = explanation.split(note).join('');
  return explanation;
}

/** Of the nodes a template reads, those this item's path did not ask. */
function unaskedOf(reads: readonly string[] | undefined, context: RunContext): string[] {
  return (reads ?? []).filter((name) => !Object.hasOwn(context.results, name));
}

/**
 * An end route's or `output`'s explanation, saying which nodes it read that this path did not
 * ask (they rendered empty: the explanation was blank, or half of one, with no word why).
 */
export function withUnaskedNote(
  explanation: string,
  reads: readonly string[],
  context: RunContext,
): string {
  const unasked = unaskedOf(reads, context);
  return unasked.length === 0
    ? explanation
    : `${explanation} (it read nodes this path did not ask, rendered empty: ${unasked.join(', ')})`;
}

async function runStep(plan: PlannedNode, context: RunContext): Promise<TraceStep> {
  const { node } = plan;
  if (node.type === 'fuzzy') {
    const text = await plan.prompt!.render(scopeOf(context));
    const hit = bestPhrase(text, await matchersOf(plan, node.phrases, node.threshold));
    return {
      node: node.name,
      value: hit ? 'found' : 'not_found',
      quote: hit?.matched ?? '',
      explanation: hit
        ? `"${hit.matched}" matches "${hit.phrase}" (similarity ${Math.round(hit.similarity)})`
        : `none of ${node.phrases.map((phrase) => `"${phrase}"`).join(', ')} (threshold ${node.threshold})`,
    };
  }
  if (node.type === 'logic') {
    const scope = {
      nodes: Object.fromEntries(
        Object.entries(context.results).map(([name, result]) => [name, result.value]),
      ),
      results: Object.fromEntries(
        Object.entries(context.item.results).map(([name, output]) => [name, output.value]),
      ),
      metadata: context.item.metadata,
      text: context.item.text,
    };
    const rules = plan.rules!;
    const held = rules.findIndex((candidate) => candidate.expression.evaluate(scope));
    const rule = rules[held];
    return {
      node: node.name,
      value: rule?.label ?? node.otherwise,
      explanation: `${rule ? `${rule.expression.source} is true` : 'no rule holds'}${unaskedNote(rules.slice(0, held < 0 ? rules.length : held + 1), context.results)}`,
    };
  }
  if (node.type === 'extractor') {
    const messages = await messagesFor(plan, context, quoteInstruction);
    const { response, attempts } = await context.client.complete(messages, {
      usage: context.usage,
      signal: context.signal,
      prompts: context.prompts,
    });
    const { quote, found } = readQuote(response.content, context.item.text);
    return {
      node: node.name,
      value: found ? 'found' : 'not_found',
      quote: found ? quote : '',
      explanation: found
        ? `quoted: "${quote}"`
        : quote && quote.toUpperCase() !== 'NONE'
          ? `the quote "${redactedSlice(quote, 0, 200)}" is not in the text`
          : 'nothing to quote',
      answers: tracedAnswers([response.content]),
      attempts,
    };
  }
  const messages = await messagesFor(plan, context, labelInstruction(plan.labels));
  const answer = await context.client.askLabel(messages, {
    labels: plan.labels,
    structured: context.settings.structured_output,
    maxCorrections: context.settings.max_corrections,
    usage: context.usage,
    signal: context.signal,
    prompts: context.prompts,
  });
  if (answer.label === undefined) {
    throw new NodeFailed(
      `node "${node.name}" gave no valid label after ${answer.answers.length} answers; last answer: ${quotedAnswer(answer.answers)}${whyNot(answer)}`,
      'invalid_answer',
    );
  }
  return {
    node: node.name,
    value: answer.label,
    explanation: explanationOf(answer.answers.at(-1)!),
    answers: tracedAnswers(answer.answers),
    attempts: answer.attempts,
    ...(answer.note === undefined ? {} : { answer_note: answer.note }),
  };
}
