import type { FeedbackRecord, RunAnswers } from '@plexus/feedback';

/** The same text whatever its Unicode form: `é` as one character or `e` and a combining accent. */
const form = (name: string) => name.normalize('NFC');

/**
 * Reviews under a score name that is the run's in another Unicode form (`Café` with a combining
 * accent, as a tool on a Mac may write it) take the run's spelling: they were not compared with
 * the model ("no reviewed item has an answer of this score"), under a name looking the same.
 * Returns the reviews and a line per name so read.
 */
export function runSpelling(
  records: readonly FeedbackRecord[],
  answers: RunAnswers,
): { records: FeedbackRecord[]; notes: string[] } {
  return namedSpelling(records, answers.keys(), "the run's score");
}

/**
 * `runSpelling` for any score names (`--gold feedback`: the scorecard's): reviews under a name
 * that is one of `names` in another Unicode form take its spelling. `what` names them in notes.
 */
export function namedSpelling<Review extends { score: string }>(
  records: readonly Review[],
  names: Iterable<string>,
  what: string,
): { records: Review[]; notes: string[] } {
  const known = new Set(names);
  const byForm = new Map<string, string>();
  for (const name of known) byForm.set(form(name), name);
  const renamed = new Map<string, string>();
  const spelled = records.map((record) => {
    if (known.has(record.score)) return record;
    const name = byForm.get(form(record.score));
    if (name === undefined) return record;
    renamed.set(record.score, name);
    return { ...record, score: name };
  });
  const notes = [...renamed].map(
    ([reviewed, name]) =>
      `reviews under ${JSON.stringify(reviewed)} are of ${what} ${JSON.stringify(name)}, written in another Unicode form: compared as that score\n`,
  );
  return { records: spelled, notes };
}

/**
 * `--score` names in both Unicode forms (composed and decomposed), so that a name typed one way
 * finds reviews written the other way (it found none).
 */
export function anyForm(wanted: readonly string[]): string[] {
  return [
    ...new Set(wanted.flatMap((name) => [name, name.normalize('NFC'), name.normalize('NFD')])),
  ];
}
