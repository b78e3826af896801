import { describe, expect, it } from 'vitest';
import { seededRandom } from '../dataset/sampling.js';
import { splitTurns, TurnReader, turnAt } from './turns.js';

// The line-by-line definition the reader must agree with: split lines, match each whole line (a
// lone \r or U+2028 is text like any other).
const speakerLine = /^\s*([A-Za-z][\w -]{0,30}?)\s*:\s?(.*)$/s;

function referenceTurns(text: string): { speaker: string | undefined; text: string }[] {
  const turns: { speaker: string | undefined; text: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = speakerLine.exec(line);
    if (match) turns.push({ speaker: match[1]!.toLowerCase(), text: match[2]! });
    else if (turns.length > 0) turns[turns.length - 1]!.text += `\n${line}`;
    else if (line.trim() !== '') turns.push({ speaker: undefined, text: line });
  }
  return turns;
}

/** Turn number and speaker of every offset, from the reference's line classification. */
function referencePlaces(text: string): { speaker: string | undefined; turn: number }[] {
  const hasSpeaker = text.split(/\r?\n/).some((line) => speakerLine.test(line));
  const places: { speaker: string | undefined; turn: number }[] = [];
  let turn = 0;
  let speaker: string | undefined;
  let offset = 0;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const last = index === lines.length - 1;
    const bare = !last && line.endsWith('\r') ? line.slice(0, -1) : line;
    const match = speakerLine.exec(bare);
    if (match) {
      turn += 1;
      speaker = match[1]!.toLowerCase();
    } else if (turn === 0 && bare.trim() !== '') turn = hasSpeaker ? 1 : 0;
    const width = line.length + (last ? 0 : 1);
    for (let at = 0; at < width; at += 1) places.push({ speaker, turn });
    offset += width;
  }
  return places.slice(0, offset);
}

const pieces = [
  'Agent: ',
  'Caller : ',
  'agent:',
  ' Customer Service Rep:',
  'hello',
  'how can I help',
  ' ',
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  ':',
  'note: x',
  '  ',
  '\t',
  '1: no',
];

function randomText(random: () => number): string {
  let text = '';
  const length = Math.floor(random() * 14);
  for (let index = 0; index < length; index += 1)
    text += pieces[Math.floor(random() * pieces.length)];
  return text;
}

describe('turns', () => {
  it('reads the same turns as splitting every line, on 5,000 random texts', () => {
    const random = seededRandom(7);
    for (let sample = 0; sample < 5_000; sample += 1) {
      const text = randomText(random);
      const turns = splitTurns(text).map((turn) => ({ speaker: turn.speaker, text: turn.text }));
      expect(turns, JSON.stringify(text)).toEqual(referenceTurns(text));
    }
  });

  it('places offsets in the turn that holds them, on 2,000 random texts', () => {
    const random = seededRandom(11);
    for (let sample = 0; sample < 2_000; sample += 1) {
      const text = randomText(random);
      const places = referencePlaces(text);
      for (let offset = 0; offset < text.length; offset += 1) {
        // Offsets in blank lines before any text have no turn; hits never start there.
        if (places[offset]!.turn === 0 && /\S/.test(text.slice(0, offset + 1)) === false) continue;
        expect(turnAt(text, offset), `${JSON.stringify(text)} @ ${offset}`).toEqual(places[offset]);
      }
    }
  });

  it('reads turns lazily and gives where each starts', () => {
    const text = 'Agent: hello\r\nthere\r\nCaller: hi';
    const reader = new TurnReader(text);
    const first = reader.next()!;
    expect(first).toEqual({ speaker: 'agent', text: 'hello\nthere', start: 7 });
    expect(reader.next()).toEqual({ speaker: 'caller', text: 'hi', start: 29 });
    expect(reader.next()).toBeUndefined();
    expect(turnAt('no speakers here', 3)).toEqual({ speaker: undefined, turn: 0 });
    expect(turnAt('intro\nAgent: hi', 2)).toEqual({ speaker: undefined, turn: 1 });
  });
});
