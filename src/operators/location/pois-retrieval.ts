/** PoisRetrieval: how many of the original POIs can still be found in protected data. */
import { T } from '../../core/types';
import { localPath } from '../datasets';
import { haversineMeters, LatLng } from '../geo/lat-lng';
import { readPois } from '../geo/traces';
import { numberInput } from '../inputs';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';

export interface RetrievalScores {
  precision: number;
  recall: number;
  fscore: number;
}

const within = (p: LatLng, others: readonly LatLng[], meters: number): boolean => others.some((o) => haversineMeters(p, o) <= meters);

/**
 * Scores of one user. precision: share of test POIs within `thresholdMeters` of a train POI;
 * recall: share of train POIs within the threshold of a test POI; fscore: their harmonic mean.
 * A ratio over an empty set is 0 (finding nothing scores nothing), except that two empty sets
 * agree perfectly and score 1.
 */
export function retrievalScores(train: readonly LatLng[], test: readonly LatLng[], thresholdMeters: number): RetrievalScores {
  if (train.length === 0 && test.length === 0) return { precision: 1, recall: 1, fscore: 1 };
  const share = (of: readonly LatLng[], near: readonly LatLng[]): number =>
    of.length === 0 ? 0 : of.filter((p) => within(p, near, thresholdMeters)).length / of.length;
  const precision = share(test, train);
  const recall = share(train, test);
  const fscore = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, fscore };
}

export const poisRetrieval: BuiltinOperator = {
  def: {
    name: 'PoisRetrieval',
    version: '1',
    category: 'metric',
    help: 'Measures how well test POIs retrieve train POIs (precision, recall, F-score).',
    description:
      'Per user, a test POI is correct when a train POI lies within `threshold` meters of it (precision), and a ' +
      'train POI is retrieved when a test POI lies within `threshold` meters of it (recall); matches need not be ' +
      'one to one. A user with no POI on one side scores 0 (finding nothing scores nothing), a user with none on ' +
      'either side scores 1. Scores are averaged over the users of either dataset (all 0 when there is none).',
    inputs: [
      port('train', T.dataset, { help: 'Reference POI dataset.' }),
      port('test', T.dataset, { help: 'POI dataset to evaluate.' }),
      port('threshold', T.float, { default: 100, help: 'Matching distance, in meters (>= 0).' }),
    ],
    outputs: [
      port('precision', T.float, { help: 'Mean precision over users, 0..1.' }),
      port('recall', T.float, { help: 'Mean recall over users, 0..1.' }),
      port('fscore', T.float, { help: 'Mean F-score over users, 0..1.' }),
    ],
    resources: SMALL_RESOURCES,
    unstable: false,
  },
  async run(inputs) {
    const threshold = numberInput(inputs, 'threshold', { min: 0 });
    const train = await readPois(localPath(inputs.train, 'train'));
    const test = await readPois(localPath(inputs.test, 'test'));
    const users = [...new Set([...train.keys(), ...test.keys()])].sort();
    const total: RetrievalScores = { precision: 0, recall: 0, fscore: 0 };
    for (const user of users) {
      const s = retrievalScores(train.get(user) ?? [], test.get(user) ?? [], threshold);
      total.precision += s.precision;
      total.recall += s.recall;
      total.fscore += s.fscore;
    }
    const n = Math.max(1, users.length);
    return { outputs: { precision: total.precision / n, recall: total.recall / n, fscore: total.fscore / n } };
  },
};
