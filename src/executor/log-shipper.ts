/**
 * Sends buffered log lines to the agent every interval, one call at a time so that lines arrive
 * in the order they were produced.
 */
import { BufferedLine, LogBuffer } from './log-buffer';

export interface LogShipperOptions {
  buffer: LogBuffer;
  /** Sends one batch; already retried by the caller. A rejection drops the batch (see onDropped). */
  send: (lines: BufferedLine[]) => Promise<void>;
  intervalMs: number;
  batchLines: number;
  /** Told about a batch that could not be sent. */
  onDropped: (count: number, err: unknown) => void;
}

export class LogShipper {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: LogShipperOptions) {}

  start(): void {
    this.schedule();
  }

  /**
   * Stops the timer and waits for the call in flight; with `flush`, then sends what is left.
   * @param flush false when the agent no longer knows the task (nothing would be accepted).
   */
  async stop(flush: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.chain;
    if (flush) await this.enqueue();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.enqueue().then(() => this.schedule());
    }, this.options.intervalMs);
  }

  /** Sends what is buffered now, after whatever send is already queued. */
  private enqueue(): Promise<void> {
    this.chain = this.chain.then(() => this.sendBuffered());
    return this.chain;
  }

  private async sendBuffered(): Promise<void> {
    const { buffer, batchLines } = this.options;
    // Only what is buffered now: a failed send may add a note to the buffer, which must not loop.
    let left = buffer.size;
    while (left > 0) {
      const batch = buffer.take(Math.min(left, batchLines));
      left -= batch.length;
      try {
        await this.options.send(batch);
      } catch (err) {
        this.options.onDropped(batch.length, err);
      }
    }
  }
}
