import assert from 'node:assert/strict';
import { datasetAt, localPath } from '../../src/operators/datasets';
import { readTraces, TraceEvent, writeTraces } from '../../src/operators/geo/traces';
import { generateTraces } from '../../src/operators/location/generate-traces';
import { temporalSampling } from '../../src/operators/location/temporal-sampling';
import { OperatorHarness } from '../support/operator-harness';

describe('TemporalSampling', () => {
  let h: OperatorHarness;
  beforeEach(async () => {
    h = await OperatorHarness.create();
  });
  afterEach(() => h.dispose());

  it('keeps at most one event per period', async () => {
    const generated = await h.run(generateTraces, { users: 2, days: 1, sampling: 45_000 }, { seed: 5 });
    const periodMs = 300_000;
    const { outputs } = await h.run(temporalSampling, { data: generated.outputs.data, period: periodMs });
    const before = await readTraces(localPath(generated.outputs.data, 'data'));
    const after = await readTraces(localPath(outputs.data, 'data'));
    for (const [user, events] of after) {
      const original = before.get(user)!;
      assert.deepEqual(events[0], original[0], 'the first event is kept');
      for (let i = 1; i < events.length; i++) assert.ok(events[i].timeMs - events[i - 1].timeMs >= periodMs);
      // Nothing more could have been kept: every dropped event falls within a period of a kept one.
      const kept = new Set(events.map((e) => e.timeMs));
      let last = events[0].timeMs;
      for (const e of original) {
        if (kept.has(e.timeMs)) last = e.timeMs;
        else assert.ok(e.timeMs - last < periodMs);
      }
    }
  });

  it('keeps irregular events that are far enough apart', async () => {
    const at = (timeMs: number): TraceEvent => ({ timeMs, lat: 45, lng: 4 });
    const dir = h.dir('in');
    await writeTraces(dir, new Map([['u', [0, 1000, 9000, 10_000, 10_500, 30_000].map(at)]]));
    const { outputs, metrics } = await h.run(temporalSampling, { data: datasetAt(dir), period: 10_000 });
    const after = await readTraces(localPath(outputs.data, 'data'));
    assert.deepEqual(after.get('u')!.map((e) => e.timeMs), [0, 10_000, 30_000]);
    assert.deepEqual(metrics, { events_in: 6, events_out: 3 });
  });
});
