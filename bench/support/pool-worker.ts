/**
 * PROTOTYPE, for bench/e2e-throughput.ts --warm-pool: a long-lived executor that runs one task
 * after another, each received over the IPC channel, with the compiled executor code of dist
 * (runTask, the Thrift client, the uploader, the operators: loaded once). It answers
 * `{ taskId, exitCode }` once a task is over, as the process exit of a one-shot executor would.
 * Not part of Accio: it shows what reusing executor processes would change.
 *
 *   node --import tsx bench/support/pool-worker.ts      (started by warm-pool.ts, with an IPC channel)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';

type ExecutorModule = typeof import('../../src/executor/executor');
type ClientModule = typeof import('../../src/api/thrift-client');
type OperatorsModule = typeof import('../../src/operators');
type DownloaderModule = typeof import('../../src/plugins/downloader');
type UploaderModule = typeof import('../../src/plugins/uploader/registry');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'src');
/* eslint-disable @typescript-eslint/no-require-imports -- the compiled code, as a one-shot executor runs it */
const { runTask } = require(path.join(DIST, 'executor', 'executor.js')) as ExecutorModule;
const { connectAgent } = require(path.join(DIST, 'api', 'thrift-client.js')) as ClientModule;
const { findBuiltin } = require(path.join(DIST, 'operators', 'index.js')) as OperatorsModule;
const { createDownloader } = require(path.join(DIST, 'plugins', 'downloader', 'index.js')) as DownloaderModule;
const { createUploader } = require(path.join(DIST, 'plugins', 'uploader', 'registry.js')) as UploaderModule;
/* eslint-enable @typescript-eslint/no-require-imports */

export interface PoolJob {
  taskId: string;
  token: string;
  agentAddr: string;
}

export interface PoolDone {
  taskId: string;
  exitCode: number;
}

async function main(): Promise<void> {
  const uploader = await createUploader(JSON.parse(process.env.ACCIO_UPLOADER ?? '{}'));
  const downloader = createDownloader();
  const clients = new Map<string, ReturnType<ClientModule['connectAgent']>>();
  const workBase = process.env.ACCIO_WORK_DIR ?? process.cwd();
  let chain = Promise.resolve();

  const runOne = async (job: PoolJob): Promise<number> => {
    let api = clients.get(job.agentAddr);
    if (!api) {
      api = connectAgent(job.agentAddr);
      clients.set(job.agentAddr, api);
    }
    const workDir = await mkdtemp(path.join(workBase, 'sandbox-'));
    try {
      await runTask({ api, taskId: job.taskId, token: job.token, workDir, uploader, downloader, operators: findBuiltin });
      return 0;
    } catch (err) {
      console.error(`[pool-worker] task ${job.taskId}: ${(err as Error).stack ?? String(err)}`);
      return 1;
    } finally {
      await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    }
  };

  process.on('message', (job: PoolJob) => {
    // One task at a time, in the order received (the pool never sends a second one early).
    chain = chain.then(async () => {
      const exitCode = await runOne(job);
      process.send?.({ taskId: job.taskId, exitCode } satisfies PoolDone);
    });
  });
  process.on('disconnect', () => {
    for (const c of clients.values()) c.close();
    void uploader.close().finally(() => process.exit(0));
  });
  process.send?.({ ready: true });
}

void main();
