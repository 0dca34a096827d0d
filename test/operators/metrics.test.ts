import assert from 'node:assert/strict';
import { Value } from '../../src/core/values';
import { datasetAt } from '../../src/operators/datasets';
import { writePois } from '../../src/operators/geo/traces';
import { generateTraces } from '../../src/operators/location/generate-traces';
import { geoIndistinguishability } from '../../src/operators/location/geo-indistinguishability';
import { poisExtraction } from '../../src/operators/location/pois-extraction';
import { poisRetrieval, retrievalScores } from '../../src/operators/location/pois-retrieval';
import { nearestInTime, spatialDistortion } from '../../src/operators/location/spatial-distortion';
import { OperatorHarness } from '../support/operator-harness';

describe('SpatialDistortion and PoisRetrieval', () => {
  let h: OperatorHarness;
  let traces: Value;
  beforeEach(async () => {
    h = await OperatorHarness.create();
    traces = (await h.run(generateTraces, { users: 4, days: 2 }, { seed: 21 })).outputs.data;
  });
  afterEach(() => h.dispose());

  it('measures no distortion between a dataset and itself', async () => {
    const { outputs } = await h.run(spatialDistortion, { train: traces, test: traces });
    assert.deepEqual(outputs, { mean: 0, median: 0, max: 0 });
  });

  it('measures a distortion that grows as epsilon shrinks', async () => {
    const means: number[] = [];
    for (const epsilon of [0.1, 0.01, 0.001]) {
      const noisy = await h.run(geoIndistinguishability, { data: traces, epsilon }, { seed: 4 });
      const { outputs } = await h.run(spatialDistortion, { train: traces, test: noisy.outputs.data });
      means.push(outputs.mean as number);
      assert.ok((outputs.median as number) <= (outputs.max as number));
      // The mean noise radius is 2/ε; the trace is dense enough that the mean distance tracks it.
      assert.ok(Math.abs((outputs.mean as number) - 2 / epsilon) < 0.1 * (2 / epsilon), `ε=${epsilon}: mean ${outputs.mean}`);
    }
    assert.ok(means[0] < means[1] && means[1] < means[2], `means ${means}`);
  });

  it('matches each event with the train event nearest in time', () => {
    const events = [0, 100, 200, 400].map((timeMs) => ({ timeMs, lat: timeMs, lng: 0 }));
    assert.equal(nearestInTime(events, 100).timeMs, 100);
    assert.equal(nearestInTime(events, 140).timeMs, 100);
    assert.equal(nearestInTime(events, 160).timeMs, 200);
    assert.equal(nearestInTime(events, 300).timeMs, 200);
    assert.equal(nearestInTime(events, -50).timeMs, 0);
    assert.equal(nearestInTime(events, 1000).timeMs, 400);
  });

  it('retrieves identical POIs with precision, recall and F-score 1', async () => {
    const { outputs } = await h.run(poisExtraction, { data: traces });
    assert.ok((outputs.count as number) > 0);
    const scores = await h.run(poisRetrieval, { train: outputs.pois, test: outputs.pois });
    assert.deepEqual(scores.outputs, { precision: 1, recall: 1, fscore: 1 });
  });

  it('retrieves fewer POIs from heavily protected traces', async () => {
    const train = (await h.run(poisExtraction, { data: traces })).outputs.pois;
    const noisy = await h.run(geoIndistinguishability, { data: traces, epsilon: 0.001 }, { seed: 4 });
    const test = (await h.run(poisExtraction, { data: noisy.outputs.data })).outputs.pois;
    const { outputs } = await h.run(poisRetrieval, { train, test });
    assert.ok((outputs.recall as number) < 0.5, `recall ${outputs.recall}`);
  });

  it('scores partial matches per user and averages over users', async () => {
    const at = (lat: number) => ({ lat, lng: 4.84, startMs: 0, endMs: 1 });
    const meters = 1 / 111_195; // about one meter of latitude
    const trainDir = h.dir('train');
    const testDir = h.dir('test');
    // u1: 2 train POIs, 1 test POI close to the first one; u2: only in train.
    await writePois(trainDir, new Map([['u1', [at(45), at(45.1)]], ['u2', [at(46)]]]));
    await writePois(testDir, new Map([['u1', [at(45 + 50 * meters)]]]));
    const u1 = retrievalScores([at(45), at(45.1)], [at(45 + 50 * meters)], 100);
    assert.deepEqual(u1, { precision: 1, recall: 0.5, fscore: 2 / 3 });
    const u2 = retrievalScores([at(46)], [], 100);
    assert.deepEqual(u2, { precision: 0, recall: 0, fscore: 0 });
    assert.deepEqual(retrievalScores([], [at(46)], 100), { precision: 0, recall: 0, fscore: 0 });
    assert.deepEqual(retrievalScores([], [], 100), { precision: 1, recall: 1, fscore: 1 });
    const { outputs } = await h.run(poisRetrieval, { train: datasetAt(trainDir), test: datasetAt(testDir), threshold: 100 });
    assert.deepEqual(outputs, { precision: 0.5, recall: 0.25, fscore: 1 / 3 });
    const strict = await h.run(poisRetrieval, { train: datasetAt(trainDir), test: datasetAt(testDir), threshold: 10 });
    assert.equal(strict.outputs.recall, 0);
  });
});
