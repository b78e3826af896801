// The floor for the LLM workload on this machine: a bare `node:http` loop with keep-alive making
// the same calls as bench/llm-throughput.mjs (same body shape, C in flight), nothing else.
// Usage: taskset -c 0 node bench/llm-http-loop.mjs [items] [C] [L_ms]
import http from 'node:http';
import { labelResponseFormat } from '@plexus/classifier-llm';
import { startBenchServer } from './llm-bench-server.mjs';

const items = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const latencyMs = Number(process.argv[4] ?? 50);
const { url, stop } = await startBenchServer(latencyMs);
const target = new URL(`${url}/chat/completions`);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
const schema = labelResponseFormat(['spam', 'ham']);
const post = (body) =>
  new Promise((resolve, reject) => {
    const request = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer bench',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
let next = 0;
let ok = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < items) {
      const index = next++;
      const answer = await post(
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
const limit = concurrency / (latencyMs / 1000);
console.log(
  `| bare node:http loop | ${items} | ${concurrency} | ${latencyMs} | ${(items / seconds).toFixed(0)} | ${((items / seconds / limit) * 100).toFixed(1)}% | ${((cpu.user + cpu.system) / 1000 / items).toFixed(3)} |`,
);
