import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { localPath } from '../../src/operators/datasets';
import { haversineMeters } from '../../src/operators/geo/lat-lng';
import { addPlanarLaplaceNoise } from '../../src/operators/geo/planar-laplace';
import { readTraces } from '../../src/operators/geo/traces';
import { generateTraces } from '../../src/operators/location/generate-traces';
import { geoIndistinguishability } from '../../src/operators/location/geo-indistinguishability';
import { Random } from '../../src/operators/random';
import { OperatorHarness } from '../support/operator-harness';
import { Value } from '../../src/core/values';

async function contents(data: Value): Promise<string[]> {
  const dir = localPath(data, 'data');
  return Promise.all((await readdir(dir)).sort().map((n) => readFile(join(dir, n), 'utf8')));
}

describe('GeoIndistinguishability', () => {
  let h: OperatorHarness;
  let original: Value;
  beforeEach(async () => {
    h = await OperatorHarness.create();
    original = (await h.run(generateTraces, { users: 3, days: 1, sampling: 300_000 }, { seed: 9 })).outputs.data;
  });
  afterEach(() => h.dispose());

  it('moves points by 2/epsilon meters on average, in no preferred direction', () => {
    // The radius has mean 2/ε and standard deviation √2/ε: with 40,000 draws the standard error
    // of the mean is 0.7% of it, so a 3% tolerance is more than four standard errors.
    const random = new Random(2024);
    const centre = { lat: 45.76, lng: 4.84 };
    for (const epsilon of [0.1, 0.01, 0.002]) {
      const n = 40_000;
      let sum = 0;
      let sumNorth = 0;
      for (let i = 0; i < n; i++) {
        const p = addPlanarLaplaceNoise(centre, epsilon, random);
        sum += haversineMeters(centre, p);
        sumNorth += haversineMeters(centre, { lat: p.lat, lng: centre.lng }) * Math.sign(p.lat - centre.lat);
      }
      const expected = 2 / epsilon;
      assert.ok(Math.abs(sum / n - expected) < 0.03 * expected, `ε=${epsilon}: mean radius ${sum / n}, expected ${expected}`);
      assert.ok(Math.abs(sumNorth / n) < 0.03 * expected, `ε=${epsilon}: mean northward shift ${sumNorth / n}`);
    }
  });

  it('is deterministic for a given seed and differs across seeds', async () => {
    const a = await h.run(geoIndistinguishability, { data: original, epsilon: 0.01 }, { seed: 1 });
    const b = await h.run(geoIndistinguishability, { data: original, epsilon: 0.01 }, { seed: 1 });
    const c = await h.run(geoIndistinguishability, { data: original, epsilon: 0.01 }, { seed: 2 });
    assert.deepEqual(await contents(a.outputs.data), await contents(b.outputs.data));
    const ca = await contents(a.outputs.data);
    const cc = await contents(c.outputs.data);
    ca.forEach((text, i) => assert.notEqual(text, cc[i]));
  });

  it('keeps every event and its time, and moves it', async () => {
    const { outputs } = await h.run(geoIndistinguishability, { data: original, epsilon: 0.05 }, { seed: 3 });
    const before = await readTraces(localPath(original, 'data'));
    const after = await readTraces(localPath(outputs.data, 'data'));
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [user, events] of after) {
      const orig = before.get(user)!;
      assert.deepEqual(events.map((e) => e.timeMs), orig.map((e) => e.timeMs));
      const moved = events.filter((e, i) => haversineMeters(e, orig[i]) > 0.5).length;
      assert.ok(moved > 0.9 * events.length, `${moved} of ${events.length} moved`);
    }
  });

  it('refuses a non-positive epsilon', async () => {
    await assert.rejects(h.run(geoIndistinguishability, { data: original, epsilon: 0 }), /input epsilon: must be > 0/);
  });
});
