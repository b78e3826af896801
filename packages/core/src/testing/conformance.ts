import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScoreEnvV1, ScoreFactoryV1, ScoreItemV1, ScoreV1 } from '../spec/score-spec.js';

export interface ConformanceOptions<Settings> {
  factory: ScoreFactoryV1<Settings>;
  /** Valid settings, as they appear in a scorecard (before defaults). */
  settings: unknown;
  /** Other valid settings that must give another fingerprint. */
  otherSettings?: unknown;
  /** Settings the schema must reject (a typo or a wrong type). */
  invalidSettings?: unknown;
  /** Labels declared in the scorecard. */
  labels: readonly string[];
  /** Items to score; default a few short texts. */
  items?: readonly ScoreItemV1[];
  /** Extra fields of the environment (a baseDir with model files, say). */
  env?: Partial<ScoreEnvV1>;
  /** Same items give the same outputs; default true. */
  deterministic?: boolean;
}

const defaultItems: ScoreItemV1[] = [
  {
    id: 'a',
    text: 'Agent: Thank you for calling, how can I help you today?',
    metadata: {},
    results: {},
  },
  {
    id: 'b',
    text: 'Caller: I lost my card and need a new one.',
    metadata: { duration_seconds: 120 },
    results: {},
  },
  { id: 'c', text: '', metadata: {}, results: {} },
  { id: 'd', text: 'ünïcödé — 日本語 <script>alert(1)</script>', metadata: {}, results: {} },
];

// Over 80 lines: a vitest describe block listing the suite's tests, each `it` a few lines.
/**
 * The ScoreV1 conformance suite: every score package runs it against each of its factories.
 * Call it inside a vitest test file.
 */
export function describeScoreConformance<Settings>(
  name: string,
  options: ConformanceOptions<Settings>,
): void {
  const items = options.items ?? defaultItems;
  const env: ScoreEnvV1 = {
    name: 'Conformance',
    labels: options.labels,
    baseDir: process.cwd(),
    // Its own folder and no response reuse: each run of the suite really calls the score.
    cacheDir: mkdtempSync(join(tmpdir(), 'plexus-conformance-')),
    cache: false,
    dependsOn: [],
    ...options.env,
  };
  const create = async (raw: unknown): Promise<ScoreV1> =>
    options.factory.create(options.factory.settingsSchema.parse(raw), env);
  const signal = () => new AbortController().signal;

  describe(`ScoreV1 conformance: ${name}`, () => {
    it('declares the v1 spec and a kind', () => {
      expect(options.factory.specificationVersion).toBe('v1');
      expect(options.factory.kind).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    });

    it('validates settings with a strict schema', () => {
      expect(options.factory.settingsSchema.safeParse(options.settings).success).toBe(true);
      expect(
        options.factory.settingsSchema.safeParse({
          ...(options.settings as object),
          no_such_setting_xyz: 1,
        }).success,
      ).toBe(false);
      if (options.invalidSettings !== undefined) {
        expect(options.factory.settingsSchema.safeParse(options.invalidSettings).success).toBe(
          false,
        );
      }
    });

    it('creates a v1 score with a stable fingerprint', async () => {
      const first = await create(options.settings);
      const second = await create(options.settings);
      expect(first.specificationVersion).toBe('v1');
      expect(first.name).toBe(env.name);
      expect(first.kind.endsWith(`/${options.factory.kind}`)).toBe(true);
      expect(typeof first.fingerprint).toBe('string');
      expect(first.fingerprint.length).toBeGreaterThan(0);
      expect(second.fingerprint).toBe(first.fingerprint);
      if (options.otherSettings !== undefined) {
        const other = await create(options.otherSettings);
        expect(other.fingerprint).not.toBe(first.fingerprint);
      }
      await Promise.all([first.close?.(), second.close?.()]);
    });

    it('returns one valid output per item, in order, within its labels', async () => {
      const score = await create(options.settings);
      const outputs = await score.doScore({
        items,
        signal: signal(),
        context: { scorecard: 'conformance' },
      });
      expect(outputs).toHaveLength(items.length);
      const labels = score.labels ?? options.labels;
      for (const output of outputs) {
        expect(['ok', 'skipped', 'error', 'disabled']).toContain(output.status);
        if (output.status === 'ok') expect(labels).toContain(output.value);
        if (output.status === 'error') expect(typeof output.error?.message).toBe('string');
        if (output.confidence !== undefined) {
          expect(output.confidence).toBeGreaterThanOrEqual(0);
          expect(output.confidence).toBeLessThanOrEqual(1);
        }
        if (output.probabilities) {
          const values = Object.values(output.probabilities);
          for (const key of Object.keys(output.probabilities)) expect(labels).toContain(key);
          expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
        }
        expect(JSON.parse(JSON.stringify(output))).toEqual(output);
      }
      await score.close?.();
    });

    it('scores items the same alone as in a batch', async () => {
      const score = await create(options.settings);
      const batch = await score.doScore({
        items,
        signal: signal(),
        context: { scorecard: 'conformance' },
      });
      const alone = [];
      for (const item of items) {
        const [output] = await score.doScore({
          items: [item],
          signal: signal(),
          context: { scorecard: 'conformance' },
        });
        alone.push(output);
      }
      if (options.deterministic ?? true) {
        expect(alone.map((output) => output?.value)).toEqual(batch.map((output) => output.value));
      }
      await score.close?.();
    });

    it('returns an empty list for an empty batch', async () => {
      const score = await create(options.settings);
      await expect(
        score.doScore({ items: [], signal: signal(), context: { scorecard: 'conformance' } }),
      ).resolves.toEqual([]);
      await score.close?.();
    });

    it('stops on an aborted signal instead of hanging', async () => {
      const score = await create(options.settings);
      const controller = new AbortController();
      controller.abort();
      const outcome = await Promise.race([
        score
          .doScore({ items, signal: controller.signal, context: { scorecard: 'conformance' } })
          .then(
            () => 'settled',
            () => 'settled',
          ),
        new Promise((resolve) => setTimeout(() => resolve('hung'), 5000)),
      ]);
      expect(outcome).toBe('settled');
      await score.close?.();
    });
  });
}
