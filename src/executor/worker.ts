/**
 * A reusable executor, for the local scheduler's `reuseExecutors` mode: one long-lived process that
 * runs tasks one after another, each received over the IPC channel as `{ taskId, token, agentAddr }`
 * (the token never appears on a command line), answering `{ taskId, exitCode }` when the task is
 * over, with the exit code a one-shot executor would have ended with. Module loading, the Thrift
 * connection and the uploader are paid once instead of once per task.
 *
 * SIGTERM (a kill) aborts the running task and ends the process; so does losing the IPC channel
 * (the agent is gone). Environment: ACCIO_UPLOADER as for main.ts; sandboxes go under the cwd.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentClient, connectAgent } from '../api/thrift-client';
import { findBuiltin } from '../operators';
import { createDownloader } from '../plugins/downloader';
import { createUploader, UploaderConfig } from '../plugins/uploader/registry';
import { runTask } from './executor';

export interface WorkerJob {
  taskId: string;
  token: string;
  agentAddr: string;
}

export interface WorkerDone {
  taskId: string;
  /** 0: the outcome was reported (or the task abandoned); 1: nothing could be reported. */
  exitCode: number;
}

/** Time an aborted operator gets, under the local scheduler's SIGTERM-to-SIGKILL grace. */
const ABORT_GRACE_MS = 4000;

async function serve(): Promise<void> {
  const uploader = await createUploader(JSON.parse(process.env.ACCIO_UPLOADER ?? '') as UploaderConfig);
  const downloader = createDownloader();
  const clients = new Map<string, AgentClient>();
  const stop = new AbortController();
  let chain: Promise<void> = Promise.resolve();

  const runOne = async (job: WorkerJob): Promise<number> => {
    let api = clients.get(job.agentAddr);
    if (!api) {
      api = connectAgent(job.agentAddr);
      clients.set(job.agentAddr, api);
    }
    const workDir = await mkdtemp(join(process.cwd(), 'sandbox-'));
    try {
      await runTask({ api, taskId: job.taskId, token: job.token, workDir, uploader, downloader, operators: findBuiltin, signal: stop.signal, abortGraceMs: ABORT_GRACE_MS });
      return 0;
    } catch (err) {
      console.error(`[executor] task ${job.taskId}: nothing could be reported: ${(err as Error).stack ?? String(err)}`);
      return 1;
    } finally {
      await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    }
  };

  const end = () => {
    stop.abort(new Error('the executor is stopping'));
    // Let the aborted task settle (it reports nothing), then go: exit() because an operator that
    // ignored its abort signal may still hold timers or sockets.
    void chain.finally(() => process.exit(0));
  };
  process.once('SIGTERM', end);
  process.once('SIGINT', end);
  process.once('disconnect', end);
  process.on('message', (job: WorkerJob) => {
    chain = chain.then(async () => {
      if (stop.signal.aborted) return;
      const exitCode = await runOne(job);
      const done: WorkerDone = { taskId: job.taskId, exitCode };
      process.send?.(done);
    });
  });
}

if (require.main === module) {
  serve().catch((err: unknown) => {
    console.error(`[executor] the worker could not start: ${(err as Error).stack ?? String(err)}`);
    process.exit(2);
  });
}
