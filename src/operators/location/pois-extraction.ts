/** PoisExtraction: finds the places where users stayed (stay points). */
import { join } from 'node:path';
import { T } from '../../core/types';
import { datasetAt, localPath } from '../datasets';
import { haversineMeters, LatLng } from '../geo/lat-lng';
import { Poi, readTraces, TraceEvent, UserTable, writePois } from '../geo/traces';
import { numberInput } from '../inputs';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

/**
 * Stay points of one time-sorted trace: maximal runs of consecutive events that each lie within
 * `diameterMeters / 2` of the run's running centroid and that last at least `minDurationMs`.
 * Comparing with the centroid rather than with every member keeps this linear in the events.
 */
export function extractStayPoints(events: readonly TraceEvent[], diameterMeters: number, minDurationMs: number): Poi[] {
  const pois: Poi[] = [];
  let first = 0;
  let sumLat = 0;
  let sumLng = 0;
  let n = 0;
  const close = (last: number): void => {
    if (n > 0 && events[last].timeMs - events[first].timeMs >= minDurationMs) {
      pois.push({ lat: sumLat / n, lng: sumLng / n, startMs: events[first].timeMs, endMs: events[last].timeMs });
    }
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const centroid: LatLng = { lat: sumLat / n, lng: sumLng / n };
    if (n > 0 && haversineMeters(centroid, e) > diameterMeters / 2) {
      close(i - 1);
      first = i;
      sumLat = 0;
      sumLng = 0;
      n = 0;
    }
    sumLat += e.lat;
    sumLng += e.lng;
    n++;
  }
  if (events.length > 0) close(events.length - 1);
  return pois;
}

export const poisExtraction: BuiltinOperator = {
  def: {
    name: 'PoisExtraction',
    version: '1',
    category: 'transform',
    help: 'Extracts points of interest (places where users stayed) from traces.',
    description:
      'A point of interest is a run of consecutive events that stay within `diameter` meters (each event within ' +
      'half of it from the centroid of the run) for at least `minDuration`. Output: a POI dataset, one CSV per ' +
      'user with lat,lng,start_ms,end_ms (the centroid and the first and last times).',
    inputs: [
      port('data', T.dataset, { help: 'Trace dataset.' }),
      port('diameter', T.float, { default: 200, help: 'Maximum diameter of a stay, in meters (> 0).' }),
      port('minDuration', T.duration, { default: 900_000, help: 'Minimum duration of a stay.' }),
    ],
    outputs: [
      port('pois', T.dataset, { help: 'POI dataset.' }),
      port('count', T.integer, { help: 'Number of POIs found, all users together.' }),
    ],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs, ctx) {
    const diameter = numberInput(inputs, 'diameter', { above: 0 });
    const minDurationMs = numberInput(inputs, 'minDuration', { min: 0 });
    const traces = await readTraces(localPath(inputs.data, 'data'));
    const out: UserTable<Poi> = new Map();
    let count = 0;
    for (const [user, events] of traces) {
      const pois = extractStayPoints(events, diameter, minDurationMs);
      count += pois.length;
      out.set(user, pois);
    }
    const dir = join(ctx.workDir, 'pois');
    await writePois(dir, out);
    return { outputs: { pois: datasetAt(dir), count } };
  },
};
