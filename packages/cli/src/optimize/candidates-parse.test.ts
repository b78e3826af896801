import { describe, expect, it } from 'vitest';
import { parseEdits } from './candidates.js';

const list = '{"candidates": [{"node": "Spam", "prompt": "p {{ text }}", "reason": "r"}]}';

describe('the JSON of an optimizer answer', () => {
  it('is found after prose that holds braces of its own', () => {
    // Before: "invalid JSON: Expected property name" (the braces of {maybe} were taken as its start).
    const parsed = parseEdits(`Sure! I would {maybe} change it:\n${list}\nHope it helps.`);
    expect(parsed.problem).toBeUndefined();
    expect(parsed.edits).toEqual([{ node: 'Spam', prompt: 'p {{ text }}', reason: 'r' }]);
  });

  it('still says why when there is none to read', () => {
    expect(parseEdits('no idea').problem).toBe('the optimizer answered no JSON');
    expect(parseEdits('{"candidates": [}').problem).toMatch(/^the optimizer answered invalid JSON/);
    expect(parseEdits('{"candidates": [').problem).toContain('is never closed: cut short?');
    expect(parseEdits('{"edits": []}').problem).toBe(
      'the optimizer answer has no "candidates" list',
    );
    expect(parseEdits('[]')).toEqual({ edits: [] });
  });
});
