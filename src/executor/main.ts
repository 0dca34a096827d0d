/**
 * The executor process: `node dist/src/executor/main.js --addr <host:port> --task-id <id>`, with
 * the task's token in ACCIO_TASK_TOKEN (not on the command line, where `ps` shows it) and the
 * uploader configuration as JSON in ACCIO_UPLOADER (e.g. `{"type":"local","path":"/tmp/a"}`). It
 * works in a fresh sandbox under ACCIO_WORK_DIR (default: the current directory), removed at the
 * end unless ACCIO_KEEP_SANDBOX=1. The only place that reads argv and env; the rest is runTask.
 *
 * Exit codes: 0 once the outcome is reported or the task abandoned (the outcome travels through
 * completeTask, never through the exit code); 1 when nothing could be reported (the agent then
 * sees the exit and declares the task lost); 2 for a bad command line or environment. SIGTERM and
 * SIGINT abort the operator and end the process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { connectAgent } from '../api/thrift-client';
import { AccioError } from '../core/errors';
import { findBuiltin } from '../operators';
import { createDownloader } from '../plugins/downloader';
import { createUploader, UploaderConfig } from '../plugins/uploader/registry';
import { runTask } from './executor';

export interface ExecutorArgs {
  addr: string;
  taskId: string;
}

export interface ExecutorEnv {
  token: string;
  uploader: UploaderConfig;
  /** Where the sandbox is created. */
  workBase: string;
  keepSandbox: boolean;
}

/** Time an aborted operator gets, under the local scheduler's SIGTERM-to-SIGKILL grace (5 s by default). */
const ABORT_GRACE_MS = 4000;

const usage = 'usage: ACCIO_TASK_TOKEN=... ACCIO_UPLOADER=<json> executor --addr <host:port> --task-id <id>';

/** Reads `--addr` and `--task-id` (also as `--flag=value`). @throws AccioError INVALID */
export function parseExecutorArgs(argv: readonly string[]): ExecutorArgs {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(addr|task-id)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new AccioError('INVALID', `unexpected argument ${JSON.stringify(argv[i])}; ${usage}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new AccioError('INVALID', `--${m[1]} needs a value; ${usage}`);
    flags.set(m[1], value);
  }
  const addr = flags.get('addr');
  const taskId = flags.get('task-id');
  if (!addr || !taskId) throw new AccioError('INVALID', `--addr and --task-id are required; ${usage}`);
  return { addr, taskId };
}

/** Reads the executor's environment; a relative ACCIO_WORK_DIR is taken from `cwd`. @throws AccioError INVALID */
export function parseExecutorEnv(env: NodeJS.ProcessEnv, cwd: string): ExecutorEnv {
  const token = env.ACCIO_TASK_TOKEN;
  if (!token) throw new AccioError('INVALID', `ACCIO_TASK_TOKEN is not set; ${usage}`);
  let uploader: unknown;
  try {
    uploader = JSON.parse(env.ACCIO_UPLOADER ?? '');
  } catch {
    throw new AccioError('INVALID', 'ACCIO_UPLOADER must hold the uploader configuration as JSON, such as {"type":"local","path":"/tmp/artifacts"}');
  }
  if (typeof uploader !== 'object' || uploader === null || typeof (uploader as { type?: unknown }).type !== 'string') {
    throw new AccioError('INVALID', 'ACCIO_UPLOADER must be a JSON object with a "type"');
  }
  return {
    token,
    uploader: uploader as UploaderConfig,
    workBase: resolve(cwd, env.ACCIO_WORK_DIR || '.'),
    keepSandbox: env.ACCIO_KEEP_SANDBOX === '1',
  };
}

/** Runs one task; resolves with the process exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let args: ExecutorArgs;
  let config: ExecutorEnv;
  try {
    args = parseExecutorArgs(argv);
    config = parseExecutorEnv(env, process.cwd());
  } catch (err) {
    console.error(`[executor] ${(err as Error).message}`);
    return 2;
  }
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => stop.abort(new Error(`received ${signal}`));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const api = connectAgent(args.addr);
  let workDir: string | undefined;
  try {
    workDir = await mkdtemp(join(config.workBase, 'sandbox-'));
    const uploader = await createUploader(config.uploader);
    try {
      const end = await runTask({
        api,
        taskId: args.taskId,
        token: config.token,
        workDir,
        uploader,
        downloader: createDownloader(),
        operators: findBuiltin,
        signal: stop.signal,
        abortGraceMs: ABORT_GRACE_MS,
      });
      if (end === 'abandoned') console.error(`[executor] task ${args.taskId} abandoned`);
      return 0;
    } finally {
      await uploader.close();
    }
  } catch (err) {
    console.error(`[executor] task ${args.taskId}: nothing could be reported: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    api.close();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    if (workDir && !config.keepSandbox) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

if (require.main === module) {
  // exit() rather than waiting for the event loop to drain: an operator that ignored its abort
  // signal may still hold timers or sockets.
  void main(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
