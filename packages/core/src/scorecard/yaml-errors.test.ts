import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { readYaml } from './source-positions.js';

/** The problems readYaml reports for a scorecard, as `line:column: message`. */
function problemsOf(source: string): string[] {
  try {
    readYaml(source, 'card.yaml', 'scorecard');
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map(
        (problem) => `${problem.line}:${problem.column}: ${problem.message}`,
      );
    throw error;
  }
  return [];
}

describe('YAML mistakes in plain words, one message each', () => {
  it('a key without its colon', () => {
    expect(problemsOf('name: X\nscores:\n  - name: A\n    class heuristic/keywords\n')).toEqual([
      "4:10: missing ':' after `class`: write `class: heuristic/keywords`",
    ]);
    expect(problemsOf('name: X\nscores:\n  - name: A\n    class: h/k\n    phrases\n')).toEqual([
      "5:12: missing ':' after `phrases`: write `phrases: ...`",
    ]);
  });

  it('a tab in the indentation', () => {
    expect(problemsOf('name: X\nscores:\n  - name: A\n\tclass: h/k\n')).toEqual([
      '4:1: a tab: indent with spaces',
    ]);
  });

  it('a list item indented differently from its siblings', () => {
    expect(
      problemsOf('name: X\nscores:\n  - name: A\n    class: h/k\n   - name: B\n     class: h/k\n'),
    ).toEqual([
      '5:4: this `- name:` is indented 3 spaces, its siblings 2: line it up with the `-` on line 3',
    ]);
    // The parser reports three errors for this one; it is one mistake.
    expect(
      problemsOf('name: X\nscores:\n  - name: A\n    class: h/k\n - name: B\n   class: h/k\n'),
    ).toEqual([
      '5:2: this `- name:` is indented 1 space, its siblings 2: line it up with the `-` on line 3',
    ]);
  });

  it('a key indented deeper than the one above it', () => {
    expect(
      problemsOf('name: X\nscores:\n  - name: A\n    class: h/k\n     phrases: [a]\n'),
    ).toEqual([
      '5:6: this `phrases:` is indented 5 spaces, its siblings 4: line it up with `class:` on line 4',
    ]);
  });

  it('an unclosed quote or brace, and several mistakes in one file', () => {
    expect(problemsOf('name: "X\nscores: []\n')).toEqual([
      '3:1: a "quoted" value is not closed: add the closing "',
    ]);
    expect(
      problemsOf(
        'name: X\nscores:\n  - name: A\n    class heuristic/keywords\n  - name: B\n\tclass: h/k\n',
      ),
    ).toEqual([
      "4:10: missing ':' after `class`: write `class: heuristic/keywords`",
      '6:1: a tab: indent with spaces',
    ]);
  });
});

describe('follow-on errors of a misplaced item', () => {
  it('are left out, before and inside the item', () => {
    // The parser blames line 4 for the item on line 5.
    expect(
      problemsOf(
        'name: X\nscores:\n  - name: A\n    class: h/k\n     - name: B\n       class: h/k\n',
      ),
    ).toEqual([
      '5:6: this `- name:` is indented 5 spaces, its siblings 2: line it up with the `-` on line 3',
    ]);
    // A second mistake stays; the parser's error on line 6 follows from line 5.
    expect(
      problemsOf('name: X\nscores:\n  - name: A\n    class h/k\n   - name: B\n    class: h/k\n'),
    ).toEqual([
      "4:10: missing ':' after `class`: write `class: h/k`",
      '5:4: this `- name:` is indented 3 spaces, its siblings 2: line it up with the `-` on line 3',
    ]);
  });
});
