import assert from 'node:assert/strict';
import { lambertWm1 } from '../../src/operators/geo/lambert-w';
import { haversineMeters, offsetMeters } from '../../src/operators/geo/lat-lng';
import { laplaceRadiusMeters } from '../../src/operators/geo/planar-laplace';
import { readPois, readTraces, writePois, writeTraces } from '../../src/operators/geo/traces';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OperatorHarness } from '../support/operator-harness';

describe('geo helpers', () => {
  let h: OperatorHarness;
  beforeEach(async () => {
    h = await OperatorHarness.create();
  });
  afterEach(() => h.dispose());

  it('measures Paris to Lyon as about 392 km', () => {
    const d = haversineMeters({ lat: 48.8566, lng: 2.3522 }, { lat: 45.764, lng: 4.8357 });
    assert.ok(Math.abs(d - 392_000) < 2_000, `got ${d}`);
  });

  it('moves a point by the requested number of meters', () => {
    const p = { lat: 45.76, lng: 4.84 };
    for (const [east, north] of [[300, 400], [-1000, 0], [0, -2500], [700, -700]]) {
      const d = haversineMeters(p, offsetMeters(p, east, north));
      assert.ok(Math.abs(d - Math.hypot(east, north)) < 0.5, `(${east}, ${north}) moved ${d} m`);
    }
  });

  it('computes W-1 as the inverse of w·exp(w) on its branch', () => {
    for (const x of [-1 / Math.E + 1e-12, -0.36, -0.3, -0.25, -0.1, -1e-3, -1e-8, -1e-200]) {
      const w = lambertWm1(x);
      assert.ok(w <= -1, `W(${x}) = ${w}`);
      assert.ok(Math.abs(w * Math.exp(w) - x) <= 1e-12 * Math.max(1e-300, Math.abs(x)) + 1e-15, `W(${x}) = ${w}`);
    }
    assert.equal(lambertWm1(-1 / Math.E), -1);
    assert.throws(() => lambertWm1(0), RangeError);
    assert.throws(() => lambertWm1(-0.5), RangeError);
  });

  it('inverts the radial CDF of the planar Laplace distribution', () => {
    const epsilon = 0.01;
    const cdf = (r: number): number => 1 - (1 + epsilon * r) * Math.exp(-epsilon * r);
    for (const p of [0, 0.01, 0.25, 0.5, 0.9, 0.999]) {
      assert.ok(Math.abs(cdf(laplaceRadiusMeters(epsilon, p)) - p) < 1e-9, `p = ${p}`);
    }
  });

  it('writes traces and POIs that read back the same, users in sorted order', async () => {
    const dir = h.dir('traces');
    const traces = new Map([
      ['bob', [{ timeMs: 1000, lat: 45.1, lng: 4.2 }, { timeMs: 2000, lat: 45.2, lng: 4.3 }]],
      ['alice', [{ timeMs: 5000, lat: -12.345678, lng: 100.5 }]],
    ]);
    await writeTraces(dir, traces);
    const back = await readTraces(dir);
    assert.deepEqual([...back.keys()], ['alice', 'bob']);
    assert.deepEqual(back.get('bob'), traces.get('bob'));
    assert.deepEqual(back.get('alice'), traces.get('alice'));

    const pois = new Map([['carol', [{ lat: 45.5, lng: 4.5, startMs: 10, endMs: 20 }]]]);
    await writePois(h.dir('pois'), pois);
    assert.deepEqual(await readPois(h.dir('pois')), pois);
  });

  it('rejects a trace file with the wrong header or a malformed row, naming the line', async () => {
    const dir = h.dir('bad');
    await mkdir(dir);
    await writeFile(join(dir, 'u.csv'), 'time,lat,lng\n1,2,3\n');
    await assert.rejects(readTraces(dir), /expected the header "time_ms,lat,lng"/);
    await writeFile(join(dir, 'u.csv'), 'time_ms,lat,lng\n1,2,3\n4,north,5\n');
    await assert.rejects(readTraces(dir), /u\.csv:3: expected 3 numbers/);
  });
});
