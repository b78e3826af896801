// The baselines' shared loop: the same calls as bench/llm-throughput.mjs (same body shape, C in
// flight) through a given `post(url, body) -> parsed answer`, nothing else; prints one table row.
// BENCH_URL=<url>: use that running test server (bench/llm-evaluate-floor.mjs) instead of starting one.
import { labelResponseFormat } from '@plexus/classifier-llm';
import { startBenchServer } from './llm-bench-server.mjs';

export async function runBaselineLoop(name, post) {
  const items = Number(process.argv[2] ?? 10_000);
  const concurrency = Number(process.argv[3] ?? 64);
  const latencyMs = Number(process.argv[4] ?? 50);
  const { url, stop } = process.env.BENCH_URL
    ? { url: process.env.BENCH_URL, stop: () => {} }
    : await startBenchServer(latencyMs);
  const endpoint = `${url}/chat/completions`;
  const schema = labelResponseFormat(['spam', 'ham']);
  let next = 0;
  let ok = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items) {
        const index = next++;
        const answer = await post(
          endpoint,
          JSON.stringify({
            model: 'bench',
            temperature: 0,
            max_tokens: 256,
            messages: [
              { role: 'user', content: `Spam? message number ${index}\n\nLabels: spam, ham` },
            ],
            response_format: schema,
          }),
        );
        if (JSON.parse(answer.choices[0].message.content).label) ok += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  stop();
  if (ok !== items) throw new Error(`${ok} of ${items} answered`);
  const rate = items / seconds;
  const limit = concurrency / (latencyMs / 1000);
  console.log(
    `| ${name} | ${items} | ${concurrency} | ${latencyMs} | ${rate.toFixed(0)} | ${((rate / limit) * 100).toFixed(1)}% | ${((cpu.user + cpu.system) / 1000 / items).toFixed(3)} |`,
  );
}
