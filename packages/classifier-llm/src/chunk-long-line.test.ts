// A long line without spaces (Chinese or Japanese as written, a base64 blob) is one piece longer
// than a window, cut between graphemes. The most graphemes that fit were found by halving from the
// whole rest of the line: each window counted the tokens of half the remaining text and more, so
// 20,000 Chinese characters took 3.2 CPU s to chunk (counting them once takes about 1 s; 40,000:
// 26 s). Each window's counts are now of at most twice the window. Measured in this process's CPU
// time against one count of the whole text, so that a busy machine does not decide it.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { expect, it } from 'vitest';
import { splitTokens } from './chunking.js';

const sentence = '我们的客户服务中心每天处理大量的电话和询问请耐心等待';

/** CPU seconds (user and system) that `work` takes in this process. */
async function cpuSeconds(work: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1e6;
}

it('chunks a 20,000-character line without spaces in about the time of counting it', async () => {
  await splitTokens('warm the tokenizer up', 500, 0);
  const text = sentence.repeat(Math.ceil(20_000 / sentence.length)).slice(0, 20_000);
  // Another text of the same kind for the reference (the tokenizer caches what it has seen).
  const reference = await cpuSeconds(() => countTokens(`参考${text}`));
  let chunks: string[] = [];
  const spent = await cpuSeconds(async () => {
    chunks = await splitTokens(text, 500, 50);
  });
  expect(chunks.length).toBeGreaterThan(20);
  for (const chunk of chunks) expect(countTokens(chunk)).toBeLessThanOrEqual(500);
  expect(chunks[0]!.startsWith(sentence)).toBe(true);
  expect(text.endsWith(chunks.at(-1)!)).toBe(true);
  // Halving from the rest of the line: 3.2 s against 1.0 s for one count (at load 12).
  expect(spent).toBeLessThan(2 * reference + 0.2);
}, 60_000);
