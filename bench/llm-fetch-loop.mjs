// The baseline for client CPU per LLM item (BENCHMARKS.md: Plexus <= 1.5x this): a plain `fetch`
// loop making the same calls as bench/llm-throughput.mjs (same body shape, C in flight), nothing
// else. Usage: taskset -c 0 node bench/llm-fetch-loop.mjs [items] [C] [L_ms]
import { labelResponseFormat } from '@plexus/classifier-llm';
import { startBenchServer } from './llm-bench-server.mjs';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
const { url, stop } = await startBenchServer(latencyMs);
const schema = labelResponseFormat(['spam', 'ham']);
let next = 0;
let ok = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < items) {
      const index = next++;
      const response = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        body: JSON.stringify({
          model: 'bench',
          temperature: 0,
          max_tokens: 256,
          messages: [
            { role: 'user', content: `Spam? message number ${index}\n\nLabels: spam, ham` },
          ],
          response_format: schema,
        }),
      });
      const answer = await response.json();
      if (JSON.parse(answer.choices[0].message.content).label) ok += 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
stop();
if (ok !== items) throw new Error(`${ok} of ${items} answered`);
console.log(
  `| plain fetch loop | ${items} | ${concurrency} | ${latencyMs} | ${(items / seconds).toFixed(0)} | ${((cpu.user + cpu.system) / 1000 / items).toFixed(3)} |`,
);
