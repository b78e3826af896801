import {
  defineScoreFactory,
  errorOutput,
  InvalidConfigError,
  matchLabel,
  nameRecord,
  redactedSlice,
  type ScoreOutputV1,
  stopsRun,
} from '@plexus/core';
import type { ChatProvider } from './chat-provider.js';
import { checkEmptyTextLabel, emptyTextOutput, showsText } from './empty-text.js';
import { runGraphPerChunk, runNodePerChunk, seenText, wholeTreePerChunk } from './graph-chunks.js';
import {
  explanationForTemplates,
  NodeFailed,
  type RunContext,
  runNode,
  scopeOf,
  type TraceStep,
  withUnaskedNote,
} from './graph-node.js';
import { type GraphPlan, planGraph } from './graph-plan.js';
import { type GraphSettings, graphSettingsSchema } from './graph-settings.js';
import { llmScore } from './llm-score.js';
import { checkProvider, emptyUsage, ModelClient, modelLabel, pick } from './model-client.js';
import { graphNeeds } from './score-needs.js';

/**
 * The graph's value when it is one of the score's labels; else an `invalid_label` error naming
 * where it came from (an end route or `output` template that rendered another value, or the last
 * node's own label when there is no `output`), rather than the engine's bare "not one of its labels".
 */
function ending(value: string, labels: readonly string[], where: string): string {
  if (matchLabel(value, labels) !== undefined) return value;
  throw new NodeFailed(
    `${where} gave ${JSON.stringify(redactedSlice(value, 0, 100))}, not one of the score's labels (${labels.join(', ')})`,
    'invalid_label',
  );
}

/** Runs the graph for one item: nodes in order, following routes, to the end or the output mapping. */
async function runGraph(
  plan: GraphPlan,
  context: RunContext,
  labels: readonly string[],
): Promise<ScoreOutputV1> {
  const path: TraceStep[] = [];
  const trace: { path: TraceStep[]; failed?: RunContext['failed'] } = { path };
  try {
    let position = 0;
    let last: TraceStep | undefined;
    while (position < plan.nodes.length) {
      const node = plan.nodes[position]!;
      last =
        node.node.type !== 'logic' && node.node.per_chunk
          ? await runNodePerChunk(node, context, runNode)
          : await runNode(node, context);
      path.push(last);
      context.results[node.node.name] = {
        value: last.value,
        // Without the trace's notes of unasked nodes: a later prompt reading it was sent them.
        explanation: explanationForTemplates(last),
        ...(last.quote === undefined ? {} : { quote: last.quote }),
      };
      const step = node.steps.get(last.value);
      if (!step) position += 1;
      else if ('next' in step) position = step.next;
      else {
        const scope = scopeOf(context);
        const value = ending(
          (await step.end.value.render(scope)).trim(),
          labels,
          `the end route of node "${node.node.name}" for "${last.value}"`,
        );
        const explanation = step.end.explanation
          ? withUnaskedNote(await step.end.explanation.render(scope), step.end.reads, context)
          : last.explanation;
        return { value, status: 'ok', explanation, usage: context.usage, trace };
      }
    }
    if (plan.output) {
      const scope = scopeOf(context);
      const explanation = plan.output.explanation
        ? withUnaskedNote(await plan.output.explanation.render(scope), plan.output.reads, context)
        : last!.explanation;
      const source = context.settings.output!.value;
      return {
        value: ending(
          (await plan.output.value.render(scope)).trim(),
          labels,
          `output.value ${JSON.stringify(source.slice(0, 100))}`,
        ),
        status: 'ok',
        explanation,
        usage: context.usage,
        trace,
      };
    }
    return {
      value: ending(
        last!.value,
        labels,
        `the last node "${last!.node}" (no output: maps its labels)`,
      ),
      status: 'ok',
      explanation: last!.explanation,
      usage: context.usage,
      trace,
    };
  } catch (error) {
    if (context.signal.aborted || stopsRun(error)) throw error;
    const output = errorOutput(error, 'call_failed');
    if (context.failed) {
      trace.failed = context.failed;
      // The message names the node (a refused request said only what the endpoint said).
      const named = `node "${context.failed.node}"`;
      if (output.error && !output.error.message.startsWith(named))
        output.error.message = `${named}: ${output.error.message}`;
    }
    return { ...output, usage: context.usage, trace };
  }
}

/** The settings that change answers (not timeouts, limits, retries, prices or where the key is read from). */
const answerFields = [
  'provider',
  'model',
  'base_url',
  'nodes',
  'output',
  'structured_output',
  'max_corrections',
  'temperature',
  'max_tokens',
  'chunking',
  'empty_text_label',
] as const;

/** `llm/graph`: a decision tree of small prompts (classifier, extractor and logic nodes). */
export function createGraphFactory(
  options: { provider?: (settings: GraphSettings) => ChatProvider } = {},
) {
  return defineScoreFactory({
    specificationVersion: 'v1',
    kind: 'graph',
    settingsSchema: graphSettingsSchema,
    needs: (settings) => graphNeeds(settings, { providerKey: !options.provider }),
    async create(settings, env) {
      if (env.labels.length === 0) {
        throw new InvalidConfigError([
          { path: 'labels', message: 'required: the labels the graph must end with' },
        ]);
      }
      const plan = planGraph(settings, env.labels, env.dependsOn);
      checkEmptyTextLabel(settings.empty_text_label, env.labels);
      // Whether a node asking the model shows the text: an empty one leaves nothing to ask.
      const readsText =
        settings.chunking !== undefined ||
        settings.nodes.some(
          (node) =>
            (node.type === 'classifier' || node.type === 'extractor') &&
            showsText([node.prompt, node.system]),
        );
      const clientEnv = { ...env, cacheDir: env.cache === false ? undefined : env.cacheDir };
      const provider = options.provider?.(settings);
      if (!provider) await checkProvider(settings, clientEnv);
      const client = new ModelClient(settings, clientEnv, provider);
      // One graph per item, all in flight together; with batch execution each wave of nodes is
      // one batch (llmScore sizes the calls and tells the client which run calls).
      return llmScore({
        kind: 'llm/graph',
        name: env.name,
        labels: env.labels,
        model: modelLabel(settings),
        answerSettings: pick(settings, answerFields),
        client,
        scoreItem: async (item, signal) => {
          if (readsText && item.text.trim() === '')
            return emptyTextOutput(settings.empty_text_label, env.labels);
          const context: RunContext = {
            item,
            client,
            settings,
            results: nameRecord(), // node names may be `__proto__`: no prototype
            usage: emptyUsage(),
            signal,
          };
          const output = wholeTreePerChunk(settings)
            ? await runGraphPerChunk(context, env.labels, (chunk) =>
                runGraph(plan, chunk, env.labels),
              )
            : await runGraph(plan, context, env.labels);
          // What the graph saw (after processors), size-capped, so reports can show it.
          output.trace = { input: seenText(item.text), ...(output.trace as object) };
          return output;
        },
      });
    },
  });
}

export const graphFactory = createGraphFactory();
