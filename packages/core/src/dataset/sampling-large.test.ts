import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { stratifiedSample } from './sampling.js';

// A label's share of a stratified sample was added with push(...share): past ~120,000 items the
// arguments overflowed the stack and `evaluate --sample 300000 --stratify` failed the run
// ("Maximum call stack size exceeded"). Shares are now added one at a time, the same items.

async function* items(count: number): AsyncGenerator<{ id: number; label: string | undefined }> {
  // 70% ham, 25% spam, 5% without a label.
  for (let id = 0; id < count; id += 1)
    yield { id, label: id % 20 === 0 ? undefined : id % 4 === 1 ? 'spam' : 'ham' };
}

async function sampledIds(count: number, size: number): Promise<number[]> {
  const ids: number[] = [];
  const options = { size, seed: 5, labelOf: (item: { label: string | undefined }) => item.label };
  for await (const item of stratifiedSample(items(count), options)) ids.push(item.id);
  return ids;
}

const digest = (ids: number[]) => createHash('sha256').update(ids.join(',')).digest('hex');

it('a sample within the old limit holds the same items as before', async () => {
  // Digest taken from the code before this change (push(...share)), same seed and items.
  expect(digest(await sampledIds(150_000, 100_000)).slice(0, 16)).toBe('b15fc8db4b54ebc2');
});

it('a share of over 120,000 items is sampled, in proportion and dataset order', async () => {
  const ids = await sampledIds(400_000, 250_000);
  expect(ids).toHaveLength(250_000);
  // Counted by hand: 5% unlabelled (id % 20 == 0), 25% spam (id % 4 == 1), 70% ham.
  const unlabelled = ids.filter((id) => id % 20 === 0).length;
  const spam = ids.filter((id) => id % 4 === 1).length;
  expect([ids.length - unlabelled - spam, spam, unlabelled]).toEqual([175_000, 62_500, 12_500]);
  expect(ids.every((id, index) => index === 0 || id > ids[index - 1]!)).toBe(true);
});
