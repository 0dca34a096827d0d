/**
 * Log lines waiting to be streamed to the agent, and the capture of what the process prints.
 */
import { LogStream } from '../core/run';

export interface BufferedLine {
  stream: LogStream;
  /** Unix ms when the line was produced. */
  atMs: number;
  message: string;
}

/** A bounded FIFO of log lines: when full, the oldest lines are dropped and counted. */
export class LogBuffer {
  private lines: BufferedLine[] = [];
  private droppedLines = 0;

  /** @param maxLines lines kept before the oldest are dropped. */
  constructor(
    private readonly now: () => number,
    private readonly maxLines: number,
  ) {}

  get size(): number {
    return this.lines.length;
  }

  push(stream: LogStream, message: string): void {
    this.lines.push({ stream, atMs: this.now(), message });
    if (this.lines.length > this.maxLines) {
      this.lines.shift();
      this.droppedLines++;
    }
  }

  /** Removes and returns up to `max` of the oldest lines, led by a note when lines were dropped. */
  take(max: number): BufferedLine[] {
    const batch = this.lines.splice(0, max);
    if (this.droppedLines > 0) {
      batch.unshift({ stream: 'stderr', atMs: batch[0]?.atMs ?? this.now(), message: `[executor] ${this.droppedLines} log lines dropped: the log buffer was full` });
      this.droppedLines = 0;
    }
    return batch;
  }
}

type Write = typeof process.stdout.write;

/**
 * Tees what this process writes to stdout and stderr into `onLine`, one call per complete line
 * (a trailing partial line is delivered on restore). Returns the function that restores the
 * original writers. Operators that print with console.log are thereby captured too.
 */
export function captureOutput(onLine: (stream: LogStream, line: string) => void): () => void {
  const restores: (() => void)[] = [];
  for (const [name, target] of [['stdout', process.stdout], ['stderr', process.stderr]] as const) {
    const original = target.write;
    let partial = '';
    const patched = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) onLine(name, line.replace(/\r$/, ''));
      return (original as (...args: unknown[]) => boolean).call(target, chunk, ...rest);
    };
    target.write = patched as Write;
    restores.push(() => {
      target.write = original;
      if (partial !== '') onLine(name, partial);
    });
  }
  return () => restores.forEach((r) => r());
}
