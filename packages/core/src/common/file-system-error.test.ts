import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModelOverwrite, forestModelKind, modelWriteTarget } from '../spec/model-path.js';
import { FileSystemError, fileSystemError } from './file-system-error.js';

const folder = () => mkdtempSync(join(tmpdir(), 'plexus-fs-'));
const failure = (code: string) => Object.assign(new Error(`${code}: system words`), { code });

describe('fileSystemError', () => {
  it('names the path and says what each code means, with how to resume when given', () => {
    const cases: [string, string][] = [
      ['EROFS', 'EROFS: read-only: the file system is mounted read-only'],
      ['EACCES', 'EACCES: no permission: this user may not write or read there'],
      ['ENOSPC', 'ENOSPC: disk full: no space left on the device'],
      ['EFBIG', 'EFBIG: disk full: the file reached the size limit'],
    ];
    for (const [code, meaning] of cases) {
      const error = fileSystemError(failure(code), '/runs/a/results.jsonl', 'write', {
        resume: 'plexus evaluate card.yaml --resume /runs/a',
      });
      expect(error).toBeInstanceOf(FileSystemError);
      expect(error.exitCode).toBe(1);
      expect(error.code).toBe(code);
      expect(error.message).toContain(`cannot write /runs/a/results.jsonl: ${meaning}`);
      expect(error.message).toMatch(
        /; once fixed, continue with: plexus evaluate card\.yaml --resume \/runs\/a$/,
      );
    }
  });

  it('ENOENT: "does not exist", or the real cause when a parent cannot be written', () => {
    const dir = folder();
    const missing = fileSystemError(failure('ENOENT'), join(dir, 'gone', 'run.json'), 'write');
    expect(missing.message).toBe(
      `cannot write ${join(dir, 'gone', 'run.json')}: ENOENT: does not exist`,
    );
    // Node's recursive mkdir says ENOENT where a part of the path is a file.
    writeFileSync(join(dir, 'file'), '');
    const under = fileSystemError(
      failure('ENOENT'),
      join(dir, 'file', 'run'),
      'create the run folder',
    );
    expect(under.message).toBe(
      `cannot create the run folder ${join(dir, 'file', 'run')}: ENOTDIR: a part of the path is a file, not a folder (at ${join(dir, 'file')})`,
    );
    const reading = fileSystemError(failure('ENOENT'), join(dir, 'file', 'x'), 'read', {
      reading: true,
    });
    expect(reading.code).toBe('ENOENT');
  });

  it('keeps the message of an error that is not a file-system one', () => {
    expect(fileSystemError(new Error('odd'), '/x', 'write').message).toBe('cannot write /x: odd');
  });
});

describe('model write targets', () => {
  it('inside the scorecard folder or --out only, symbolic links followed', () => {
    const dir = folder();
    const project = join(dir, 'project');
    mkdirSync(project);
    expect(modelWriteTarget('models/a.json', project)).toBe(join(project, 'models', 'a.json'));
    expect(modelWriteTarget(join(project, 'a.json'), project)).toBe(join(project, 'a.json'));
    for (const outside of ['../a.json', '../../etc/a.json', join(dir, 'a.json'), '/etc/passwd'])
      expect(() => modelWriteTarget(outside, project)).toThrow(
        /is outside the scorecard's folder .*pass --out DIR/,
      );
    symlinkSync(dir, join(project, 'link'));
    expect(() => modelWriteTarget('link/a.json', project)).toThrow(/outside/);
    expect(modelWriteTarget('../../a.json', project, join(dir, 'out'))).toBe(
      join(dir, 'out', 'a.json'),
    );
  });

  it('overwrites a model of its kind or nothing, never another file, without quoting it', () => {
    const dir = folder();
    const model = join(dir, 'model.json');
    checkModelOverwrite(model, forestModelKind); // absent: fine
    writeFileSync(model, '{"format":"plexus-forest","version":1}\n');
    checkModelOverwrite(model, forestModelKind);
    for (const content of ['SECRET notes', '{"format":"other"}', '']) {
      writeFileSync(model, content);
      expect(() => checkModelOverwrite(model, forestModelKind)).toThrow(
        `${model} exists and is not a plexus-forest model; training will not overwrite it: set model to a new file, or pass --out DIR`,
      );
      expect(readFileSync(model, 'utf8')).toBe(content);
    }
    expect(() => checkModelOverwrite(dir, forestModelKind)).toThrow(/is not a plexus-forest/);
  });
});
