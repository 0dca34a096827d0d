/** SpatialDistortion: how far protected events are from the originals. */
import { AccioError } from '../../core/errors';
import { T } from '../../core/types';
import { localPath } from '../datasets';
import { haversineMeters } from '../geo/lat-lng';
import { readTraces, TraceEvent } from '../geo/traces';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

/** The event of a time-sorted, non-empty trace that is nearest in time to `timeMs` (the earlier one on a tie). */
export function nearestInTime(events: readonly TraceEvent[], timeMs: number): TraceEvent {
  let lo = 0;
  let hi = events.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].timeMs < timeMs) lo = mid + 1;
    else hi = mid;
  }
  // lo is the first event at or after timeMs (or the last event); its predecessor may be closer.
  if (lo > 0 && timeMs - events[lo - 1].timeMs <= Math.abs(events[lo].timeMs - timeMs)) return events[lo - 1];
  return events[lo];
}

export interface DistanceSummary {
  mean: number;
  median: number;
  max: number;
}

/** Mean, median and max of a list of distances; all 0 for an empty list. */
export function summarize(distances: number[]): DistanceSummary {
  if (distances.length === 0) return { mean: 0, median: 0, max: 0 };
  const sorted = [...distances].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { mean: sorted.reduce((s, d) => s + d, 0) / sorted.length, median, max: sorted[sorted.length - 1] };
}

export const spatialDistortion: BuiltinOperator = {
  def: {
    name: 'SpatialDistortion',
    version: '1',
    category: 'metric',
    help: 'Measures the distance between test events and the matching train events.',
    description:
      'For each event of `test`, the distance in meters to the event of the same user in `train` at the same ' +
      'time, or the nearest in time. Reports the mean, median and maximum over all events of all users (0 when ' +
      '`test` has no event). Every user of `test` must have a non-empty trace in `train`.',
    inputs: [
      port('train', T.dataset, { help: 'Reference trace dataset (usually the original).' }),
      port('test', T.dataset, { help: 'Trace dataset to compare (usually the protected one).' }),
    ],
    outputs: [
      port('mean', T.float, { help: 'Mean distance, in meters.' }),
      port('median', T.float, { help: 'Median distance, in meters.' }),
      port('max', T.float, { help: 'Largest distance, in meters.' }),
    ],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs) {
    const train = await readTraces(localPath(inputs.train, 'train'));
    const test = await readTraces(localPath(inputs.test, 'test'));
    const distances: number[] = [];
    for (const [user, events] of test) {
      if (events.length === 0) continue;
      const reference = train.get(user);
      if (!reference || reference.length === 0) {
        throw new AccioError('INVALID', `user ${user} has events in test but none in train`);
      }
      for (const e of events) distances.push(haversineMeters(e, nearestInTime(reference, e.timeMs)));
    }
    const { mean, median, max } = summarize(distances);
    return { outputs: { mean, median, max } };
  },
};
