/**
 * Runs a builtin operator as the executor would, without an agent: defaults applied, a fresh
 * temporary work dir, an abort signal the test controls, and every log line recorded.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStream } from '../../src/core/run';
import { Value } from '../../src/core/values';
import { BuiltinOperator, OperatorOutput } from '../../src/operators/operator';

export interface RecordedLog {
  stream: LogStream;
  line: string;
}

export interface HarnessRunOptions {
  /** @default 42 */
  seed?: number;
  /** A work dir of the caller's; by default a fresh one under the harness's temporary root. */
  workDir?: string;
}

export class OperatorHarness {
  readonly logs: RecordedLog[] = [];
  private readonly controller = new AbortController();
  private runs = 0;

  private constructor(readonly root: string) {}

  /** A harness with its own temporary root directory; call dispose() when done. */
  static async create(): Promise<OperatorHarness> {
    return new OperatorHarness(await mkdtemp(join(tmpdir(), 'accio-op-')));
  }

  /** The signal every run of this harness sees. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  /** A fresh directory under the root, for input datasets a test writes. */
  dir(name: string): string {
    return join(this.root, name);
  }

  /** Runs `op` with `inputs` plus the defaults of its unbound ports. */
  async run(op: BuiltinOperator, inputs: Record<string, Value>, options: HarnessRunOptions = {}): Promise<OperatorOutput> {
    const resolved: Record<string, Value> = {};
    for (const p of op.def.inputs) {
      if (inputs[p.name] !== undefined) resolved[p.name] = inputs[p.name];
      else if (p.default !== undefined) resolved[p.name] = p.default;
    }
    const workDir = options.workDir ?? join(this.root, `run-${++this.runs}`);
    await mkdir(workDir, { recursive: true });
    return op.run(resolved, {
      seed: options.seed ?? 42,
      workDir,
      signal: this.controller.signal,
      log: (line, stream = 'stdout') => {
        this.logs.push({ stream, line });
      },
    });
  }

  /** The recorded lines of one stream. */
  lines(stream: LogStream): string[] {
    return this.logs.filter((l) => l.stream === stream).map((l) => l.line);
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
