import { describe, expect, it } from 'vitest';
import { graphNodes } from './onnx-graph.js';

/** CPU seconds `run` took (wall time varies with a shared machine's load). */
function cpuSeconds(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

describe('a file that is no ONNX model, read as one', () => {
  it('a file of zeros is refused at its first byte (60 MB took 7 CPU s to say "no graph")', () => {
    const zeros = new Uint8Array(20_000_000);
    let message = '';
    const seconds = cpuSeconds(() => {
      try {
        graphNodes(zeros);
      } catch (error) {
        message = (error as Error).message;
      }
    });
    expect(message).toBe('field number 0 at byte 0: not a protobuf message');
    expect(seconds).toBeLessThan(0.5);
  });

  it('a file of millions of tiny fields is refused after 10,000 fields without a graph', () => {
    const tiny = new Uint8Array(10_000_000);
    for (let index = 0; index < tiny.length; index += 2) tiny[index] = 0x08; // field 1, varint 0
    let message = '';
    const seconds = cpuSeconds(() => {
      try {
        graphNodes(tiny);
      } catch (error) {
        message = (error as Error).message;
      }
    });
    expect(message).toBe('no graph in the ONNX model among its first 10,000 fields');
    expect(seconds).toBeLessThan(0.5);
  });
});
