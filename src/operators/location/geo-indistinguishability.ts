/** GeoIndistinguishability: the location-privacy protection mechanism of the bundled experiment. */
import { join } from 'node:path';
import { T } from '../../core/types';
import { datasetAt, localPath } from '../datasets';
import { addPlanarLaplaceNoise } from '../geo/planar-laplace';
import { readTraces, TraceEvent, UserTable, writeTraces } from '../geo/traces';
import { numberInput } from '../inputs';
import { BuiltinOperator } from '../operator';
import { port, SMALL_RESOURCES } from '../ports';
import { Random } from '../random';

export const geoIndistinguishability: BuiltinOperator = {
  def: {
    name: 'GeoIndistinguishability',
    version: '1',
    category: 'lppm',
    help: 'Protects traces with planar Laplace noise (geo-indistinguishability).',
    description:
      'Moves every event independently by planar Laplace noise (Andrés et al., CCS 2013): a uniform angle and a ' +
      'radius drawn by inverting the radial CDF with the Lambert W function. The mean displacement is 2/epsilon ' +
      'meters: epsilon 0.01 moves events by 200 m on average. Times are kept.',
    inputs: [
      port('data', T.dataset, { help: 'Trace dataset.' }),
      port('epsilon', T.float, { default: 0.01, help: 'Privacy level, per meter (> 0); smaller is more private.' }),
    ],
    outputs: [port('data', T.dataset, { help: 'Trace dataset.' })],
    resources: SMALL_RESOURCES,
    unstable: true,
  },
  async run(inputs, ctx) {
    const epsilon = numberInput(inputs, 'epsilon', { above: 0 });
    const traces = await readTraces(localPath(inputs.data, 'data'));
    const random = new Random(ctx.seed);
    const out: UserTable<TraceEvent> = new Map();
    // Users in sorted order (readTraces' order), so the draws do not depend on the file system.
    for (const [user, events] of traces) {
      out.set(user, events.map((e) => ({ timeMs: e.timeMs, ...addPlanarLaplaceNoise(e, epsilon, random) })));
    }
    const dir = join(ctx.workDir, 'data');
    await writeTraces(dir, out);
    return { outputs: { data: datasetAt(dir) } };
  },
};
