// The floor for the LLM workload on this machine: a bare `node:http` loop with keep-alive making
// the same calls as bench/llm-throughput.mjs, nothing else.
// Usage: taskset -c 0 node bench/llm-http-loop.mjs [items] [C] [L_ms]
import http from 'node:http';
import { runBaselineLoop } from './llm-baseline-loop.mjs';

const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
await runBaselineLoop(
  'bare node:http loop',
  (url, body) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        url,
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
    }),
);
