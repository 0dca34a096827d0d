/** TemporalSampling: thins traces out in time. */
import { join } from 'node:path';
import { T } from '../../core/types';
import { datasetAt, localPath } from '../datasets';
import { readTraces, TraceEvent, UserTable, writeTraces } from '../geo/traces';
import { numberInput } from '../inputs';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

/** Keeps the first event, then each event at least `periodMs` after the last kept one. */
export function sampleByPeriod(events: readonly TraceEvent[], periodMs: number): TraceEvent[] {
  const kept: TraceEvent[] = [];
  for (const e of events) {
    if (kept.length === 0 || e.timeMs - kept[kept.length - 1].timeMs >= periodMs) kept.push(e);
  }
  return kept;
}

export const temporalSampling: BuiltinOperator = {
  def: {
    name: 'TemporalSampling',
    version: '1',
    category: 'prepare',
    help: 'Keeps at most one event per period of time.',
    description: 'Keeps the first event of each trace, then each event that comes at least `period` after the last kept one.',
    inputs: [
      port('data', T.dataset, { help: 'Trace dataset.' }),
      port('period', T.duration, { default: 300_000, help: 'Minimum time between two kept events.' }),
    ],
    outputs: [port('data', T.dataset, { help: 'Trace dataset.' })],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs, ctx) {
    const periodMs = numberInput(inputs, 'period', { min: 0 });
    const traces = await readTraces(localPath(inputs.data, 'data'));
    const out: UserTable<TraceEvent> = new Map();
    let before = 0;
    let after = 0;
    for (const [user, events] of traces) {
      const kept = sampleByPeriod(events, periodMs);
      before += events.length;
      after += kept.length;
      out.set(user, kept);
    }
    const dir = join(ctx.workDir, 'data');
    await writeTraces(dir, out);
    ctx.log(`kept ${after} of ${before} events`);
    return { outputs: { data: datasetAt(dir) }, metrics: { events_in: before, events_out: after } };
  },
};
