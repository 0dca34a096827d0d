/** GenerateTraces: the source of the bundled experiment, synthetic mobility traces. */
import { join } from 'node:path';
import { T } from '../../core/types';
import { datasetAt } from '../datasets';
import { TraceEvent, UserTable, writeTraces } from '../geo/traces';
import { numberInput } from '../inputs';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';
import { simulateMobility } from './mobility-model';

export const generateTraces: BuiltinOperator = {
  def: {
    name: 'GenerateTraces',
    version: '1',
    category: 'source',
    help: 'Generates synthetic mobility traces around Lyon.',
    description:
      'Each user has a home, a workplace and two other places within a few kilometers of the centre of Lyon, ' +
      'and follows a daily routine: home, work, sometimes lunch out, sometimes an evening out, home. Users dwell ' +
      'at those places, travel between them at 25 km/h, and every event carries 10 m of Gaussian GPS noise. ' +
      'Days start on 2024-01-01 UTC. The output is a trace dataset (one CSV per user, time_ms,lat,lng).',
    inputs: [
      port('users', T.integer, { default: 10, help: 'Number of users (>= 1).' }),
      port('days', T.integer, { default: 3, help: 'Number of simulated days (>= 1).' }),
      port('sampling', T.duration, { default: 60_000, help: 'Time between two events of a user (> 0).' }),
    ],
    outputs: [port('data', T.dataset, { help: 'Trace dataset.' })],
    resources: SMALL_RESOURCES,
    unstable: true,
  },
  async run(inputs, ctx) {
    const users = simulateMobility({
      users: numberInput(inputs, 'users', { min: 1 }),
      days: numberInput(inputs, 'days', { min: 1 }),
      samplingMs: numberInput(inputs, 'sampling', { above: 0 }),
      seed: ctx.seed,
    });
    const table: UserTable<TraceEvent> = new Map(users.map((u) => [u.id, u.events]));
    const dir = join(ctx.workDir, 'data');
    await writeTraces(dir, table);
    const events = users.reduce((n, u) => n + u.events.length, 0);
    ctx.log(`generated ${events} events for ${users.length} users`);
    return { outputs: { data: datasetAt(dir) }, metrics: { events } };
  },
};
