// Speakers named by processors (`speaker`'s `speakers`, a `window`'s `speakers`) checked against
// the speakers of the dataset's first items: a name no transcript uses keeps nothing, and every
// item reaches its score with no text (an LLM score then answers `no_text`, or its
// `empty_text_label` for every item, which reads as a real answer).
import type { ConfigProblem } from '../common/errors.js';
import { speakerName } from '../text/turns.js';
import type { SourcePositions } from './source-positions.js';

/** Where processors name speakers: the setting's path and the names, as written. */
export interface SpeakerUse {
  path: (string | number)[];
  names: readonly string[];
}

/** The speakers the processors at `at` (a `processors` list's path) name. */
export function speakerUses(processors: unknown, at: (string | number)[]): SpeakerUse[] {
  if (!Array.isArray(processors)) return [];
  return processors.flatMap((processor: unknown, index) => {
    const { type, speakers } = (processor ?? {}) as { type?: unknown; speakers?: unknown };
    if ((type !== 'speaker' && type !== 'window') || !Array.isArray(speakers)) return [];
    const names = speakers.filter((name): name is string => typeof name === 'string');
    return names.length > 0 ? [{ path: [...at, index, 'speakers'], names }] : [];
  });
}

/** What the first items' texts show of their speakers (see `sampleDataset`). */
export interface SpeakerSample {
  /** Texts read for their speakers. */
  texts: number;
  /** Per lower-cased speaker name, the texts it speaks in. */
  speakers: ReadonlyMap<string, number>;
}

/**
 * An error for a use whose every name speaks in none of the sampled texts (the processor keeps
 * nothing), a warning for a name among others that does not.
 */
export function addSpeakerFindings(
  found: { problems: ConfigProblem[]; warnings: ConfigProblem[] },
  uses: readonly SpeakerUse[],
  sample: SpeakerSample,
  positions: SourcePositions,
): void {
  if (sample.texts === 0) return;
  const heard = [...sample.speakers]
    .sort((left, right) => right[1] - left[1])
    .slice(0, 8)
    .map(([name, texts]) => `${name} (${texts})`)
    .join(', ');
  const first = `the first ${sample.texts} items`;
  const there =
    sample.speakers.size === 0 ? 'they have no "Speaker:" lines' : `their speakers: ${heard}`;
  for (const use of uses) {
    const missing = use.names.filter((name) => !sample.speakers.has(speakerName(name)));
    if (missing.length === 0) continue;
    const named = missing.map((name) => `"${name}"`).join(', ');
    if (missing.length === use.names.length)
      found.problems.push(
        positions.problem(
          use.path,
          `${named} ${missing.length === 1 ? 'speaks' : 'speak'} in none of ${first} (${there}): this processor would keep no text of any item. Name the speakers as the transcripts write them`,
        ),
      );
    else
      found.warnings.push(
        positions.problem(
          use.path,
          `${named} ${missing.length === 1 ? 'speaks' : 'speak'} in none of ${first} (${there})`,
        ),
      );
  }
}
