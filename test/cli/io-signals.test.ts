import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import Logs from '../../src/cli/commands/logs';
import { streamIo } from '../../src/cli/shared/io';
import { aRun } from '../support/builders';
import { fakeClient, runCommand } from './helpers';

function capture(isTTY: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; text(): string };
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  stream.isTTY = isTTY;
  stream.text = () => text;
  return stream;
}

describe('cli output streams', () => {
  it('redraws progress in place on a terminal and ends it before the next line', async () => {
    const stdout = capture(true);
    const stderr = capture(true);
    const io = streamIo({ stdout, stderr, quiet: false, onWarning: () => undefined });
    io.status('[--] 0%');
    io.status('[#-] 50%');
    io.out('done');
    await new Promise((r) => setImmediate(r));
    assert.equal(stderr.text(), '\r\u001b[2K[--] 0%\r\u001b[2K[#-] 50%\n');
    assert.equal(stdout.text(), 'done\n');
    assert.equal(io.color, true);
  });

  it('prints one progress line per change when stderr is not a terminal', async () => {
    const stderr = capture(false);
    const io = streamIo({ stdout: capture(false), stderr, quiet: false, onWarning: () => undefined });
    for (const line of ['a', 'a', 'b', 'b', 'c']) io.status(line);
    io.status(undefined);
    await new Promise((r) => setImmediate(r));
    assert.equal(stderr.text(), 'a\nb\nc\n');
    assert.equal(io.color, false);
  });

  it('stays silent under --json but still collects warnings', async () => {
    const stdout = capture(true);
    const stderr = capture(true);
    const warnings: string[] = [];
    const io = streamIo({ stdout, stderr, quiet: true, onWarning: (m) => warnings.push(m) });
    io.out('x');
    io.err('y');
    io.status('z');
    io.warn('careful');
    await new Promise((r) => setImmediate(r));
    assert.equal(stdout.text() + stderr.text(), '');
    assert.deepEqual(warnings, ['careful']);
  });
});

describe('cli interruption', () => {
  it('exits 130 when Ctrl-C interrupts a command that is waiting', async () => {
    const run = aRun();
    const client = fakeClient({
      getRun: async () => run,
      listLogs: async () => {
        // The first read is done: the user presses Ctrl-C while the command waits to poll again.
        setImmediate(() => process.emit('SIGINT', 'SIGINT'));
        return [];
      },
    });
    const before = process.listenerCount('SIGINT');
    const outcome = await runCommand(Logs, [run.id, 'Score', '--follow'], client);
    assert.equal(outcome.exitCode, 130);
    assert.equal(outcome.stderr, '');
    assert.equal(process.listenerCount('SIGINT'), before, 'the command removes its signal handlers');
  });
});
