import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidConfigError, registerSecret } from '@plexus/core';
import type { Command } from 'commander';
import { decimalNumber, positiveNumber, wholeNumber } from '../arguments.js';
import { mlflowOptimizeTracker } from '../optimize/mlflow-tracking.js';
import type { HttpOptimizer, OptimizerEndpoint } from '../optimize/optimizer-client.js';
import { optimize } from '../optimize/run-optimize.js';
import type { SplitName } from '../optimize/split.js';
import type { CliIo } from '../output.js';
import { trackerKind } from '../tracking.js';

interface OptimizeFlags {
  score: string;
  data?: string;
  rounds: number;
  candidates: number;
  optimizerProvider: string;
  optimizerModel: string;
  optimizerBaseUrl?: string;
  optimizerApiKeyEnv: string;
  optimizerPrice?: string;
  optimizerMaxTokens?: number;
  alpha: string;
  maxCostIncrease: string;
  maxUsd?: number;
  seed: number;
  split: string;
  out?: string;
  resume?: boolean;
  cacheDir?: string;
  tracker?: string;
}

/** A number in [0, maximum) (`--max-cost-increase`), or (0, maximum) with `above0` (`--alpha`). */
function share(flag: string, value: string, maximum: number, above0 = false): number {
  // decimalNumber: an empty value is no number, not 0.
  const parsed = decimalNumber(value);
  if (!(parsed >= 0 && parsed < maximum) || (above0 && parsed === 0))
    throw new InvalidConfigError([
      {
        path: flag,
        message: `expected a number ${above0 ? 'above 0' : 'from 0'} to below ${maximum}, got "${value}"`,
      },
    ]);
  return parsed;
}

function fractionsOf(value: string): Record<SplitName, number> {
  const parts = value.split(',').map(decimalNumber);
  const total = parts.reduce((sum, part) => sum + part, 0);
  if (parts.length !== 3 || parts.some((part) => !(part > 0)) || Math.abs(total - 1) > 1e-9)
    throw new InvalidConfigError([
      {
        path: '--split',
        message: `expected three shares above 0 adding to 1 (train,validation,holdout), got "${value}"`,
      },
    ]);
  return { train: parts[0]!, validation: parts[1]!, holdout: parts[2]! };
}

/** `--optimizer-provider llama-cpp`: a GGUF file run in this process; no key, no network, no cost. */
function localEndpoint(flags: OptimizeFlags, scorecard: string): OptimizerEndpoint {
  const model = resolve(flags.optimizerModel);
  if (!existsSync(model))
    throw new InvalidConfigError([
      {
        path: '--optimizer-model',
        message: `no GGUF file at ${model}; give the path of a local model (scripts/fetch-gemma.sh fetches Gemma 3 270M)`,
      },
    ]);
  for (const [flag, value] of [
    ['--optimizer-base-url', flags.optimizerBaseUrl],
    ['--optimizer-price', flags.optimizerPrice],
  ] as const)
    if (value !== undefined)
      throw new InvalidConfigError([
        { path: flag, message: 'not for --optimizer-provider llama-cpp (a local model, cost 0)' },
      ]);
  return {
    provider: 'llama-cpp',
    model,
    searchFrom: [
      dirname(resolve(scorecard)),
      process.cwd(),
      dirname(fileURLToPath(import.meta.url)),
    ],
  };
}

function endpointOf(flags: OptimizeFlags, scorecard: string): OptimizerEndpoint {
  if (flags.optimizerProvider === 'llama-cpp') return localEndpoint(flags, scorecard);
  if (flags.optimizerProvider !== 'openai')
    throw new InvalidConfigError([
      {
        path: '--optimizer-provider',
        message: `expected openai (any OpenAI-compatible endpoint) or llama-cpp (a local GGUF file), got "${flags.optimizerProvider}"`,
      },
    ]);
  const apiKey = process.env[flags.optimizerApiKeyEnv];
  if (apiKey) registerSecret(apiKey);
  let price: HttpOptimizer['price'];
  if (flags.optimizerPrice !== undefined) {
    // `,` or `1,` are no prices: Number('') is 0, which would make every call free.
    const [input, output, ...rest] = flags.optimizerPrice.split(',').map(decimalNumber);
    if (rest.length > 0 || !(input! >= 0) || !(output! >= 0))
      throw new InvalidConfigError([
        {
          path: '--optimizer-price',
          message: `expected INPUT,OUTPUT dollars per million tokens, got "${flags.optimizerPrice}"`,
        },
      ]);
    price = { input: input!, output: output! };
  }
  // A budget bounds each optimizer call by its price and cap: without a price it cannot.
  if (flags.maxUsd !== undefined && price === undefined)
    throw new InvalidConfigError([
      {
        path: '--optimizer-price',
        message:
          "--max-usd needs the optimizer's price (INPUT,OUTPUT dollars per million tokens) to keep its calls within the budget",
      },
    ]);
  return {
    provider: 'openai',
    baseUrl: flags.optimizerBaseUrl ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
    model: flags.optimizerModel,
    apiKey,
    price,
    // No cap unless asked, or --max-usd needs one to bound a call (a model whose answers are
    // capped lower, gpt-4-turbo's 4096, refuses 8192 with a 400).
    maxTokens: flags.optimizerMaxTokens ?? (flags.maxUsd === undefined ? undefined : 8192),
  };
}

/** With `--tracker mlflow` (or MLFLOW_TRACKING_URI set): starts the parent run once `--out` is checked. */
function trackerStarter(flags: OptimizeFlags, scorecard: string, outDir: string, io: CliIo) {
  if (trackerKind(flags.tracker) !== 'mlflow') return undefined;
  return () =>
    mlflowOptimizeTracker({
      outDir,
      scorecardName: scorecard.replace(/^.*\//, '').replace(/\.ya?ml$/, ''),
      score: flags.score,
      params: {
        optimizer_provider: flags.optimizerProvider,
        optimizer_model: flags.optimizerModel,
        alpha: flags.alpha,
        candidates: String(flags.candidates),
        rounds: String(flags.rounds),
        seed: String(flags.seed),
        split: flags.split,
        max_cost_increase: flags.maxCostIncrease,
      },
      onError: (message) => io.stderr(`${message}\n`),
    });
}

export function optimizeCommand(program: Command, io: CliIo): void {
  program
    .command('optimize')
    .description(
      "improve an LLM score's prompt from its confusions; keep an edit only when McNemar's test on held-out items says it is significantly better",
    )
    .argument(
      '<scorecard>',
      'scorecard file (never overwritten: accepted versions are written to --out)',
    )
    .requiredOption('--score <name>', 'the llm/classifier or llm/graph score to improve')
    .option('--data <file>', "labelled items (default the scorecard's data.path)")
    .option('--rounds <n>', 'rounds at most', wholeNumber('--rounds'), 3)
    .option(
      '--candidates <k>',
      'edits asked of the optimizer per round',
      wholeNumber('--candidates'),
      3,
    )
    .option(
      '--optimizer-provider <p>',
      'openai: any OpenAI-compatible endpoint; llama-cpp: a local GGUF file (no key, no network, cost 0)',
      'openai',
    )
    .requiredOption(
      '--optimizer-model <m>',
      'the model that proposes edits (for llama-cpp, the path of its .gguf file)',
    )
    .option(
      '--optimizer-base-url <url>',
      'its endpoint; default $OPENAI_BASE_URL or https://api.openai.com/v1',
    )
    .option('--optimizer-api-key-env <name>', 'environment variable with its key', 'OPENAI_API_KEY')
    .option(
      '--optimizer-price <in,out>',
      'its US dollars per million input,output tokens (else its cost is unknown)',
    )
    .option(
      '--optimizer-max-tokens <n>',
      "cap of the optimizer's answer in tokens; default none, 8192 with --max-usd (each call reserves its worst case)",
      wholeNumber('--optimizer-max-tokens'),
    )
    .option('--alpha <p>', "significance level of McNemar's test on the holdout", '0.05')
    .option(
      '--max-cost-increase <share>',
      'largest rise of cost per item accepted (0.2: 20%)',
      '0.2',
    )
    .option(
      '--max-usd <dollars>',
      "stop before the next paid step once the optimizer's and evaluations' spending reaches this",
      positiveNumber('--max-usd'),
    )
    .option('--seed <n>', 'seed of the split', wholeNumber('--seed', 0), 0)
    .option('--split <train,validation,holdout>', 'shares of the stratified split', '0.6,0.2,0.2')
    .option('--out <dir>', 'output folder; default optimize/<scorecard>-<score>')
    .option('--resume', 'continue the run in --out (its split, cache and changelog)')
    .option(
      '--tracker <kind>',
      'local, or mlflow (default when MLFLOW_TRACKING_URI is set): a parent run and a child run per candidate',
    )
    .option('--cache-dir <dir>', 'cache folder; default $PLEXUS_CACHE_DIR or ~/.cache/plexus')
    .action(async (scorecard: string, flags: OptimizeFlags) => {
      const slug =
        `${scorecard.replace(/^.*\//, '').replace(/\.ya?ml$/, '')}-${flags.score}`.replace(
          /[^A-Za-z0-9.-]+/g,
          '-',
        );
      const outDir = flags.out ?? join('optimize', slug);
      const startTracker = trackerStarter(flags, scorecard, outDir, io);
      const log = await optimize({
        startTracker,
        file: scorecard,
        score: flags.score,
        data: flags.data,
        outDir,
        rounds: flags.rounds,
        candidates: flags.candidates,
        alpha: share('--alpha', flags.alpha, 1, true),
        maxCostIncrease: share('--max-cost-increase', flags.maxCostIncrease, 100),
        maxUsd: flags.maxUsd,
        seed: flags.seed,
        fractions: fractionsOf(flags.split),
        endpoint: endpointOf(flags, scorecard),
        cacheDir: flags.cacheDir,
        resume: flags.resume ?? false,
        log: (line) => io.stderr(`${line}\n`),
      });
      const accepted = log.rounds.filter((entry) => entry.version).map((entry) => entry.version);
      io.stdout(
        accepted.length > 0
          ? `accepted: ${accepted.join(', ')}\n`
          : 'no significant improvement: the scorecard is unchanged\n',
      );
      io.stdout(`changelog: ${join(outDir, 'changelog.md')}\n`);
    });
}
