/**
 * The executor process: `node main.js --addr <host:port> --task-id <id>`, with the task's token in
 * ACCIO_TASK_TOKEN (not on the command line, where `ps` shows it) and the uploader configuration
 * as JSON in ACCIO_UPLOADER. The only place that reads argv and env; everything else is runTask.
 * Exits 0 once the outcome is reported or the task abandoned; non-zero only when it could not
 * report at all (the agent then sees the exit and declares the task lost).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { connectAgent } from '../api/thrift-client';
import { findBuiltin } from '../operators';
import { createDownloader } from '../plugins/downloader';
import { createUploader, UploaderConfig } from '../plugins/uploader/registry';
import { runTask } from './executor';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { addr: { type: 'string' }, 'task-id': { type: 'string' } } });
  const token = process.env.ACCIO_TASK_TOKEN;
  const uploaderJson = process.env.ACCIO_UPLOADER;
  if (!values.addr || !values['task-id'] || !token || !uploaderJson) {
    process.stderr.write('usage: ACCIO_TASK_TOKEN=... ACCIO_UPLOADER=<json> executor --addr <host:port> --task-id <id>\n');
    return 2;
  }
  const workDir = fs.mkdtempSync(path.join(process.env.ACCIO_WORK_DIR ?? process.cwd(), 'task-'));
  const abort = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => abort.abort(new Error(`received ${sig}`)));
  const api = connectAgent(values.addr);
  try {
    await runTask({
      api,
      taskId: values['task-id'],
      token,
      workDir,
      uploader: await createUploader(JSON.parse(uploaderJson) as UploaderConfig),
      downloader: createDownloader(),
      operators: findBuiltin,
      signal: abort.signal,
    });
    return 0;
  } finally {
    api.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`executor failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
