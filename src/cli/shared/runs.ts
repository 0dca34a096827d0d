/**
 * Run helpers shared by several commands: resolving a short id, paging through a sweep's
 * children, and waiting for a run to finish while showing its progress.
 */
import { ClientApi } from '../../api/service';
import { NotFoundError, isRetryable } from '../../core/errors';
import { NODE_STATUSES, NodeStatus, RUN_STATUSES, Run, RunStatus, isTerminalRun } from '../../core/run';
import { countsText, percent, progressBar } from './format';
import { Io } from './io';

/** Time, as the polling commands see it; tests pass a fast one. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** How polling commands wait between two reads. */
export interface PollOptions {
  clock: Clock;
  /** @default 1000 */
  intervalMs?: number;
  /** Stops the wait (Ctrl-C). */
  signal?: AbortSignal;
  /** Consecutive retryable failures (agent briefly unreachable) tolerated before giving up. @default 5 */
  maxTransientErrors?: number;
}

const FULL_ID = /^[0-9a-f]{32}$/;
const PREFIX = /^[0-9a-f]{4,31}$/;
/** How many recent runs a short id is looked up among. */
const PREFIX_SCAN_LIMIT = 1000;
const PAGE = 100;

/**
 * The full id of a run given in full or as a prefix (tables show 12 characters). A prefix is
 * looked up among the most recent runs, top-level and sweep children alike; it must match one.
 */
export async function resolveRunId(client: Pick<ClientApi, 'listRuns'>, ref: string): Promise<string> {
  if (FULL_ID.test(ref) || !PREFIX.test(ref)) return ref;
  const matches = new Set<string>();
  const visit = (run: Run): void => {
    if (run.id.startsWith(ref)) matches.add(run.id);
    for (const child of run.children) if (child.startsWith(ref)) matches.add(child);
  };
  // Offsets advance by what came back: an agent may return less than the limit asked for.
  for (let offset = 0; offset < PREFIX_SCAN_LIMIT; ) {
    const page = await client.listRuns({ limit: PAGE, offset });
    page.results.forEach(visit);
    offset += page.results.length;
    if (matches.size > 1 || page.results.length === 0 || offset >= page.total) break;
  }
  if (matches.size === 1) return [...matches][0];
  if (matches.size > 1) {
    throw new NotFoundError('run', ref, {
      actions: [`The prefix ${ref} matches ${matches.size} runs: give more characters (accio ps --no-trunc shows full ids)`],
    });
  }
  return ref;
}

/**
 * Every child of a sweep parent, reading all pages, in expansion order (the parent's `children`
 * order: combinations, then repeats) rather than the listing's newest-first order.
 */
export async function listChildren(client: Pick<ClientApi, 'listRuns'>, parent: Pick<Run, 'id' | 'children'>): Promise<Run[]> {
  const out: Run[] = [];
  for (;;) {
    const page = await client.listRuns({ parent: parent.id, limit: PAGE, offset: out.length });
    out.push(...page.results);
    if (page.results.length === 0 || out.length >= page.total) break;
  }
  const position = new Map(parent.children.map((id, i) => [id, i]));
  const at = (r: Run): number => position.get(r.id) ?? Number.MAX_SAFE_INTEGER;
  return out.sort((a, b) => at(a) - at(b));
}

/** Counts of nodes by status (a plain run) or of children by status (a sweep parent). */
export function runCounts(run: Run): { counts: Partial<Record<string, number>>; order: readonly string[] } {
  if (run.children.length > 0) return { counts: run.state.childCounts ?? {}, order: RUN_STATUSES };
  const counts: Partial<Record<NodeStatus, number>> = {};
  for (const n of run.state.nodes) counts[n.status] = (counts[n.status] ?? 0) + 1;
  return { counts, order: NODE_STATUSES };
}

/** `[########------------] 40%  2 SUCCESS, 1 RUNNING, 2 SCHEDULED` */
export function progressLine(run: Run, color = false): string {
  const { counts, order } = runCounts(run);
  const what = run.children.length > 0 ? `${run.children.length} runs` : `${run.state.nodes.length} nodes`;
  const text = countsText(counts, order, color);
  return `${progressBar(run.state.progress)} ${percent(run.state.progress).padStart(4)}  ${what}${text ? `: ${text}` : ''}`;
}

/**
 * Polls a run until it is terminal and returns it, showing progress through `io.status`: a bar
 * redrawn in place on a terminal, one line per change otherwise.
 */
export async function waitForRun(client: Pick<ClientApi, 'getRun'>, id: string, io: Io, options: PollOptions): Promise<Run> {
  const interval = options.intervalMs ?? 1000;
  const maxErrors = options.maxTransientErrors ?? 5;
  let errors = 0;
  try {
    for (;;) {
      let run: Run | undefined;
      try {
        run = await client.getRun(id);
        errors = 0;
      } catch (err) {
        // An agent restarting (or failing over) must not end a long wait; a real error must.
        if (!isRetryable(err) || ++errors > maxErrors) throw err;
      }
      if (run) {
        io.status(progressLine(run));
        if (isTerminalRun(run.state.status)) return run;
      }
      await options.clock.sleep(interval, options.signal);
    }
  } finally {
    io.status(undefined);
  }
}

/** Whether a run ended as wanted. */
export function succeeded(status: RunStatus): boolean {
  return status === 'SUCCESS';
}
