import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { haversineMeters } from '../../src/operators/geo/lat-lng';
import { readTraces } from '../../src/operators/geo/traces';
import { localPath } from '../../src/operators/datasets';
import { generateTraces } from '../../src/operators/location/generate-traces';
import { LYON } from '../../src/operators/location/mobility-model';
import { OperatorHarness } from '../support/operator-harness';

async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

describe('GenerateTraces', () => {
  let h: OperatorHarness;
  beforeEach(async () => {
    h = await OperatorHarness.create();
  });
  afterEach(() => h.dispose());

  it('writes one time-sorted CSV per user with one event per sampling period', async () => {
    const { outputs, metrics } = await h.run(generateTraces, { users: 4, days: 2, sampling: 120_000 }, { seed: 1 });
    const traces = await readTraces(localPath(outputs.data, 'data'));
    assert.equal(traces.size, 4);
    const perUser = (2 * 24 * 60) / 2;
    for (const events of traces.values()) {
      assert.equal(events.length, perUser);
      for (let i = 1; i < events.length; i++) assert.equal(events[i].timeMs - events[i - 1].timeMs, 120_000);
      for (const e of events) assert.ok(haversineMeters(e, LYON) < 10_000, `event ${JSON.stringify(e)} is far from Lyon`);
    }
    assert.equal(metrics?.events, 4 * perUser);
  });

  it('is deterministic for a given seed', async () => {
    const a = await h.run(generateTraces, { users: 3, days: 1 }, { seed: 123 });
    const b = await h.run(generateTraces, { users: 3, days: 1 }, { seed: 123 });
    assert.deepEqual(await contents(localPath(a.outputs.data, 'data')), await contents(localPath(b.outputs.data, 'data')));
  });

  it('gives different traces for different seeds', async () => {
    const a = await h.run(generateTraces, { users: 3, days: 1 }, { seed: 1 });
    const b = await h.run(generateTraces, { users: 3, days: 1 }, { seed: 2 });
    const ca = await contents(localPath(a.outputs.data, 'data'));
    const cb = await contents(localPath(b.outputs.data, 'data'));
    assert.deepEqual(Object.keys(ca), Object.keys(cb));
    for (const name of Object.keys(ca)) assert.notEqual(ca[name], cb[name], name);
  });

  it('refuses a non-positive number of users', async () => {
    await assert.rejects(h.run(generateTraces, { users: 0 }), /input users: must be >= 1/);
  });
});
