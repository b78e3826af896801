// The baseline for client CPU per LLM item (BENCHMARKS.md: Plexus <= 1.5x this): a plain `fetch`
// loop making the same calls as bench/llm-throughput.mjs, nothing else.
// Usage: taskset -c 0 node bench/llm-fetch-loop.mjs [items] [C] [L_ms]
import { runBaselineLoop } from './llm-baseline-loop.mjs';

await runBaselineLoop('plain fetch loop', async (url, body) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body,
  });
  return response.json();
});
