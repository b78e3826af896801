// Generates data/feedback.csv: simulated reviews of the 42 test calls by three reviewers, for the
// scores Greeting and Intent Forest. The labels start from the calls' hand-made or dataset labels
// (data/test.jsonl) and each reviewer makes seeded mistakes at their own rate, so the reviewers
// disagree as real ones do. Generated, not real reviews. Run: node scripts/make-feedback.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const here = new URL('..', import.meta.url);
const calls = readFileSync(new URL('data/test.jsonl', here), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

/** mulberry32, the seeded generator Plexus uses. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(2026);
const intents = [...new Set(calls.map((call) => call.task_type))].sort();
const scores = [
  { name: 'Greeting', gold: (call) => call.greeting, labels: ['yes', 'no'] },
  { name: 'Intent Forest', gold: (call) => call.task_type, labels: intents },
];
// Each reviewer: the share of calls they review, and how often they get a label wrong.
const reviewers = [
  { name: 'ana', reviews: 0.9, mistakes: 0.05 },
  { name: 'ben', reviews: 0.7, mistakes: 0.1 },
  { name: 'cy', reviews: 0.5, mistakes: 0.25 },
];

function csv(value) {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const rows = ['item_id,score,label,reviewer,reviewed_at,comment'];
calls.forEach((call, index) => {
  // The first half of the calls reviewed in March 2026, the rest in April.
  const month = index < calls.length / 2 ? '03' : '04';
  const day = String(1 + (index % 28)).padStart(2, '0');
  for (const score of scores) {
    for (const reviewer of reviewers) {
      if (random() >= reviewer.reviews) continue;
      let label = score.gold(call);
      if (random() < reviewer.mistakes) {
        const others = score.labels.filter((other) => other !== label);
        label = others[Math.floor(random() * others.length)];
      }
      const hour = String(9 + reviewers.indexOf(reviewer)).padStart(2, '0');
      rows.push(
        [call.id, score.name, label, reviewer.name, `2026-${month}-${day}T${hour}:00:00Z`, '']
          .map(csv)
          .join(','),
      );
    }
  }
});
writeFileSync(new URL('data/feedback.csv', here), `${rows.join('\n')}\n`);
console.log(`wrote data/feedback.csv: ${rows.length - 1} reviews of ${calls.length} calls`);
