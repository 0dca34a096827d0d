/** Command: runs a user program as a child process, with a dataset in and a dataset out. */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AccioError } from '../../core/errors';
import { LogStream } from '../../core/run';
import { T } from '../../core/types';
import { formatDuration, Value } from '../../core/values';
import { abortedError } from '../abort';
import { datasetAt, localPath } from '../datasets';
import { BuiltinOperator, OperatorContext, OperatorFailure } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

/** Lines of stderr quoted in the message of a failed command. */
const STDERR_TAIL_LINES = 20;
/** Time a program gets between SIGTERM and SIGKILL when it is aborted. */
const KILL_GRACE_MS = 2000;

/** `ACCIO_ARG_<NAME>`: the name upper-cased, anything but letters, digits and `_` replaced by `_`. */
export function argEnvName(name: string): string {
  return `ACCIO_ARG_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

function buildEnv(inputDir: string | undefined, outputDir: string, args: Record<string, Value>): NodeJS.ProcessEnv {
  // The executor's own ACCIO_* variables carry its task token and uploader credentials: never hand them on.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ACCIO_')));
  env.ACCIO_OUTPUT_DIR = outputDir;
  if (inputDir !== undefined) env.ACCIO_INPUT_DIR = inputDir;
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(args)) {
    const key = argEnvName(name);
    const other = seen.get(key);
    if (other !== undefined) throw new AccioError('INVALID', `input args: "${other}" and "${name}" both map to ${key}`);
    seen.set(key, name);
    env[key] = String(value);
  }
  return env;
}

async function readMetrics(outputDir: string, ctx: OperatorContext): Promise<Record<string, number>> {
  const file = join(outputDir, 'metrics.json');
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OperatorFailure('metrics', `metrics.json is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OperatorFailure('metrics', 'metrics.json must hold an object of numbers, such as {"accuracy": 0.93}');
  }
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
    else ctx.log(`metrics.json: ignoring "${k}", not a finite number`, 'stderr');
  }
  return metrics;
}

/** Signals the program's whole process group, so that `sh -c` pipelines stop too. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
}

function runProgram(argv: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number | undefined, ctx: OperatorContext): Promise<Exit> {
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(abortedError(ctx.signal));
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stderrTail: string[] = [];
    const pipe = (stream: NodeJS.ReadableStream, name: LogStream): void => {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        ctx.log(line, name);
        if (name === 'stderr') {
          stderrTail.push(line);
          if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        }
      });
    };
    pipe(child.stdout, 'stdout');
    pipe(child.stderr, 'stderr');

    let stopReason: OperatorFailure | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: OperatorFailure): void => {
      if (stopReason) return;
      stopReason = reason;
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = (): void => stop(abortedError(ctx.signal));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const timeoutTimer =
      timeoutMs !== undefined && timeoutMs > 0
        ? setTimeout(() => stop(new OperatorFailure('timeout', `the command did not finish within ${formatDuration(timeoutMs)}`)), timeoutMs)
        : undefined;
    const cleanup = (): void => {
      ctx.signal.removeEventListener('abort', onAbort);
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      reject(new OperatorFailure(`spawn ${err.code ?? 'error'}`, `cannot run ${JSON.stringify(argv[0])}: ${err.message}`, { cause: err }));
    });
    // 'close' rather than 'exit': it waits for stdout and stderr to end, so no line is lost.
    child.on('close', (code, signal) => {
      cleanup();
      if (stopReason) reject(stopReason);
      else resolve({ code, signal, stderrTail });
    });
  });
}

export const command: BuiltinOperator = {
  def: {
    name: 'Command',
    version: '1',
    category: 'generic',
    help: 'Runs a program; its output directory becomes a dataset.',
    description:
      'Runs `command` (an argv list, no shell: use ["sh", "-c", "..."] for one) in the work directory. The ' +
      'program finds its input dataset at $ACCIO_INPUT_DIR (when `input` is bound), writes its output under ' +
      '$ACCIO_OUTPUT_DIR (an empty directory), and gets each entry of `args` as $ACCIO_ARG_<NAME> (upper-cased, ' +
      'other characters as _). The executor\'s own ACCIO_* variables are not passed on. Its stdout and stderr ' +
      'lines are the task\'s logs. A file $ACCIO_OUTPUT_DIR/metrics.json holding an object of numbers becomes ' +
      'metrics. A non-zero exit fails the task with classifier "exit <code>" and the last lines of stderr.',
    inputs: [
      port('command', T.list(T.string), { help: 'Program and arguments, e.g. ["python3", "train.py"].' }),
      port('input', T.dataset, { optional: true, help: 'Dataset staged at $ACCIO_INPUT_DIR.' }),
      port('args', T.map(T.string), { optional: true, help: 'Passed as environment variables ACCIO_ARG_<NAME>.' }),
      port('timeout', T.duration, { optional: true, help: 'Kill the program after this long (no limit when unset).' }),
    ],
    outputs: [
      port('output', T.dataset, { help: 'What the program wrote under $ACCIO_OUTPUT_DIR.' }),
      port('exitCode', T.integer, { help: 'The exit code (0, since any other fails the task).' }),
    ],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs, ctx) {
    const argv = inputs.command;
    if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
      throw new AccioError('INVALID', 'input command: expected a non-empty list of strings, such as ["sh", "-c", "echo hi"]');
    }
    const inputDir = inputs.input === undefined ? undefined : localPath(inputs.input, 'input');
    const outputDir = join(ctx.workDir, 'output');
    await mkdir(outputDir, { recursive: true });
    const env = buildEnv(inputDir, outputDir, (inputs.args ?? {}) as Record<string, Value>);
    const timeoutMs = typeof inputs.timeout === 'number' ? inputs.timeout : undefined;
    const exit = await runProgram(argv as string[], env, ctx.workDir, timeoutMs, ctx);
    if (exit.code !== 0) {
      const what = exit.code === null ? `signal ${exit.signal}` : `exit ${exit.code}`;
      const tail = exit.stderrTail.length ? `; last lines of stderr:\n${exit.stderrTail.join('\n')}` : '';
      throw new OperatorFailure(what, `the command ended with ${what}${tail}`);
    }
    const metrics = await readMetrics(outputDir, ctx);
    return { outputs: { output: datasetAt(outputDir), exitCode: 0 }, metrics };
  },
};
