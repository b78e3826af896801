// key_pattern (python/plexus_spark_rows.py) decides whether a JSONL file's rows are grouped by id
// on Spark: a line it does not match must have no such key, or a repeated id there would be
// scored twice. Checked with Python's `re` (the pattern uses only what Java's regular expressions
// read the same way) against every way JSON can write a key, parsed back with `json.loads`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { localSpark } from './testing.js';

const python = fileURLToPath(new URL('../python/', import.meta.url));

const check = `
import json, random, re, sys
sys.path.insert(0, sys.argv[1])
from plexus_spark_rows import key_pattern
random.seed(7)
short = {'"': '\\\\"', '\\\\': '\\\\\\\\', '/': '\\\\/', '\\b': '\\\\b', '\\f': '\\\\f', '\\n': '\\\\n', '\\r': '\\\\r', '\\t': '\\\\t'}
def written(name):
    parts = []
    for char in name:
        ways = ['\\\\u%04x' % ord(char), '\\\\u%04X' % ord(char)]
        if char >= ' ' and char not in '"\\\\': ways.append(char)
        if char in short: ways.append(short[char])
        parts.append(random.choice(ways))
    return '"' + ''.join(parts) + '"' + random.choice(['', ' ', '\\t', '\\n  ']) + ':'
found, missed, wrong = 0, [], []
for name in ['id', 'call_id', 'ID', 'a b', 'we"ird', 'back\\\\slash', 'sl/ash', 'tab\\there', 'x.y', '$[0]']:
    pattern = re.compile(key_pattern(name))
    for _ in range(300):
        line = '{"text": "a \\\\"quoted\\\\" text", ' + written(name) + ' 5}'
        assert name in json.loads(line)
        found += 1
        if not pattern.search(line): missed.append(line)
    if pattern.search(json.dumps({"text": name, name + "x": 1, "x" + name: 2})): wrong.append(name)
print(json.dumps({"found": found, "missed": missed, "wrong": wrong, "id": key_pattern('id'), "beyond": key_pattern('\\u00fc')}))
`;

it('finds every JSON spelling of an id key (as is, \\uXXXX in either case, short escapes)', () => {
  const result = JSON.parse(
    execFileSync(localSpark().python, ['-c', check, python], { encoding: 'utf8' }),
  ) as { found: number; missed: string[]; wrong: string[]; id: string; beyond: null };
  expect(result.found).toBe(3000);
  expect(result.missed).toEqual([]);
  // Not found where a key only begins or ends with the name, nor in a text value without `:`.
  expect(result.wrong).toEqual([]);
  expect(result.id).toBe('"(?:i|\\\\u0069)(?:d|\\\\u0064)"\\s*:');
  // Beyond ASCII (JSON may write it as a surrogate pair): every line is taken to have the key.
  expect(result.beyond).toBeNull();
});
