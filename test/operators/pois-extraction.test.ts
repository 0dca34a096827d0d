import assert from 'node:assert/strict';
import { datasetAt, localPath } from '../../src/operators/datasets';
import { haversineMeters, LatLng } from '../../src/operators/geo/lat-lng';
import { readPois, TraceEvent, writeTraces } from '../../src/operators/geo/traces';
import { simulateMobility } from '../../src/operators/location/mobility-model';
import { extractStayPoints, poisExtraction } from '../../src/operators/location/pois-extraction';
import { OperatorHarness } from '../support/operator-harness';

const nearest = (p: LatLng, places: readonly LatLng[]): number => Math.min(...places.map((q) => haversineMeters(p, q)));

describe('PoisExtraction', () => {
  let h: OperatorHarness;
  beforeEach(async () => {
    h = await OperatorHarness.create();
  });
  afterEach(() => h.dispose());

  it('finds the home and workplace of every simulated user, and only places they dwelt at', async () => {
    const users = simulateMobility({ users: 5, days: 2, samplingMs: 60_000, seed: 11 });
    const dir = h.dir('traces');
    await writeTraces(dir, new Map(users.map((u) => [u.id, u.events])));
    const { outputs } = await h.run(poisExtraction, { data: datasetAt(dir) });
    const pois = await readPois(localPath(outputs.pois, 'pois'));
    let total = 0;
    for (const u of users) {
      const found = pois.get(u.id)!;
      total += found.length;
      assert.ok(nearest(u.home, found) < 50, `${u.id}: home not found`);
      assert.ok(nearest(u.work, found) < 50, `${u.id}: work not found`);
      for (const p of found) {
        assert.ok(nearest(p, [u.home, u.work, ...u.others]) < 100, `${u.id}: POI ${JSON.stringify(p)} is no place of the user`);
        assert.ok(p.endMs - p.startMs >= 15 * 60_000);
      }
    }
    assert.equal(outputs.count, total);
  });

  it('ignores stays shorter than the minimum duration and movements', () => {
    const here = { lat: 45.76, lng: 4.84 };
    const events: TraceEvent[] = [];
    // 10 minutes still, then 30 minutes moving north at 10 m/s, then 20 minutes still.
    for (let m = 0; m < 10; m++) events.push({ timeMs: m * 60_000, ...here });
    for (let m = 10; m < 40; m++) events.push({ timeMs: m * 60_000, lat: here.lat + ((m - 9) * 600) / 111_195, lng: here.lng });
    const there = { lat: events[events.length - 1].lat, lng: here.lng };
    for (let m = 40; m < 60; m++) events.push({ timeMs: m * 60_000, ...there });
    const pois = extractStayPoints(events, 200, 15 * 60_000);
    assert.equal(pois.length, 1);
    assert.ok(haversineMeters(pois[0], there) < 1);
    assert.equal(pois[0].startMs, 39 * 60_000);
    assert.equal(pois[0].endMs, 59 * 60_000);
  });
});
