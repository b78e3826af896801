import { InvalidConfigError, shellWord, TrackerError } from '@plexus/core';
import type { Command } from 'commander';
import type { CliIo } from '../output.js';

function modelName(value: string): string {
  if (!/^[\w.-]+$/.test(value))
    throw new InvalidConfigError([
      { path: '--name', message: `use letters, digits, "_", "." and "-" (got "${value}")` },
    ]);
  return value;
}

/** An error of the server's own (a 5xx, 429, no answer), not of the run folder or the request. */
function serverFailure(error: TrackerError): boolean {
  if (!error.message.startsWith('MLflow ')) return false;
  return error.status === undefined || error.status >= 500 || error.status === 429;
}

/** `plexus mlflow sync`, `plexus mlflow register` and `plexus mlflow alias`. */
export function mlflowCommand(program: Command, io: CliIo): void {
  const mlflow = program
    .command('mlflow')
    .description('log runs and register models in MLflow (MLFLOW_TRACKING_URI)');
  mlflow
    .command('sync')
    .description('log local run folders to MLflow; a run already logged is not logged twice')
    .argument('<run-dir...>', 'run folders written by plexus evaluate')
    .option('--experiment <name>', 'experiment name; default plexus/<scorecard name>')
    .action(async (dirs: string[], flags: { experiment?: string }) => {
      const tracker = await import('@plexus/mlflow-tracker');
      const client = new tracker.MlflowClient();
      let failed = 0;
      const serverFailed: string[] = [];
      for (const dir of dirs) {
        try {
          const result = await tracker.syncRun(dir, { client, experimentName: flags.experiment });
          io.stdout(`${dir}: ${result.action} ${result.url}\n`);
        } catch (error) {
          if (!(error instanceof TrackerError)) throw error;
          failed += 1;
          if (serverFailure(error)) serverFailed.push(dir);
          // Named once: most messages of a run folder start with it (`runs/x: runs/x: no ...`).
          io.stderr(`${error.message.startsWith(`${dir}:`) ? '' : `${dir}: `}${error.message}\n`);
        }
      }
      // MLflow failing (5xx, unreachable) is fixed by time: what was sent is kept, a sync resumes.
      const again =
        serverFailed.length > 0
          ? `; MLflow failed for ${serverFailed.length === failed ? 'them' : serverFailed.length}: what was logged is kept, sync again once it answers: plexus mlflow sync ${serverFailed.map(shellWord).join(' ')}`
          : '';
      if (failed > 0)
        throw new TrackerError(`${failed} of ${dirs.length} runs were not synced${again}`);
    });
  mlflow
    .command('register')
    .description(
      'register a model file (.onnx or a plexus-forest JSON) as a new model version; an .onnx file that is not an ONNX model (wrong file, cut short) is refused before anything is uploaded',
    )
    .argument('<model-file>', 'the model file')
    .requiredOption('--name <name>', 'registered model name', modelName)
    .option('--alias <alias>', 'point this alias (e.g. champion, challenger) at the new version')
    .action(async (file: string, flags: { name: string; alias?: string }) => {
      const tracker = await import('@plexus/mlflow-tracker');
      const version = await tracker.registerModel({
        client: new tracker.MlflowClient(),
        file,
        name: flags.name,
        alias: flags.alias,
      });
      io.stdout(
        `registered ${flags.name} version ${version.version}${flags.alias ? ` as @${flags.alias}` : ''}: models:/${flags.name}/${version.version}\n`,
      );
    });
  mlflow
    .command('alias')
    .description(
      'point an alias (e.g. champion) at a model version, saying which version it pointed at before',
    )
    .argument('<name>', 'registered model name', modelName)
    .argument('<alias>', 'alias, e.g. champion')
    .argument('<version>', 'model version number')
    .action(async (name: string, alias: string, version: string) => {
      if (!/^\d+$/.test(version))
        throw new InvalidConfigError([
          { path: '<version>', message: `expected a version number, got "${version}"` },
        ]);
      const tracker = await import('@plexus/mlflow-tracker');
      const client = new tracker.MlflowClient();
      const previous = await tracker.aliasedVersion(client, name, alias);
      // A version the registry does not have (deleted) is said with the versions there are.
      await tracker.modelVersionOf(client, `models:/${name}/${version}`);
      await client.setAlias(name, alias, version);
      io.stdout(
        previous
          ? `${name}@${alias}: version ${previous.version} -> ${version}\n`
          : `${name}@${alias}: version ${version} (new alias)\n`,
      );
    });
}
