import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/** One line of a run folder's `batches.jsonl`. */
export type BatchEvent =
  | { event: 'uploaded'; scope: string; tag: string; file_id: string; custom_ids: string[] }
  | { event: 'submitted'; scope: string; tag: string; batch_id: string }
  | {
      event: 'ended';
      scope: string;
      tag: string;
      batch_id: string | null;
      status: string;
      completed: number;
      failed: number;
    };

/** A batch submitted (or uploaded) and not yet seen to end: a resumed run re-attaches to it. */
export interface OpenBatch {
  tag: string;
  fileId: string;
  batchId: string | undefined;
  customIds: string[];
}

/**
 * The batches of a run, in `<run folder>/batches.jsonl`: each file id, batch id and end is written
 * and synced to disk at once, so a process killed at any point leaves what a resume needs. Without
 * a run folder (`plexus predict`) it is kept in memory only.
 */
export class BatchRecord {
  constructor(readonly path: string | undefined) {}

  append(event: BatchEvent): void {
    if (!this.path) return;
    const descriptor = openSync(this.path, 'a');
    try {
      writeSync(descriptor, `${JSON.stringify({ ...event, at: new Date().toISOString() })}\n`);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  }

  /** The batches of `scope` (one endpoint and model) with no end recorded, oldest first. */
  open(scope: string): OpenBatch[] {
    if (!this.path || !existsSync(this.path)) return [];
    const batches = new Map<string, OpenBatch>();
    for (const text of readFileSync(this.path, 'utf8').split('\n')) {
      let event: BatchEvent;
      try {
        event = JSON.parse(text) as BatchEvent;
      } catch {
        continue; // an empty line, or the last one cut by a kill
      }
      if (event.scope !== scope) continue;
      if (event.event === 'uploaded')
        batches.set(event.tag, {
          tag: event.tag,
          fileId: event.file_id,
          batchId: undefined,
          customIds: event.custom_ids,
        });
      else if (event.event === 'submitted') {
        const batch = batches.get(event.tag);
        if (batch) batch.batchId = event.batch_id;
      } else batches.delete(event.tag);
    }
    return [...batches.values()];
  }
}
