import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListRunsRequest } from '../../src/api/service';
import { NotFoundError } from '../../src/core/errors';
import { Run } from '../../src/core/run';
import Export, { collectRuns } from '../../src/cli/commands/export';
import { aggregateArtifactsTable, artifactsTable, buildExport, csvField, metricsTable, toCsv, varyingParams } from '../../src/cli/shared/export';
import { aNodeState, aRun } from '../support/builders';
import { fakeClient, runCommand } from './helpers';

/** A child of the sweep: params, then Train/loss and Train/model outputs and one metric. */
function child(id: string, name: string, epsilon: number, loss: number, wallMs: number): Run {
  return aRun({
    id,
    name,
    parent: 'p'.repeat(32),
    params: { epsilon, k: 3, label: 'a,"b"' },
    state: {
      status: 'SUCCESS',
      progress: 1,
      nodes: [
        aNodeState({ name: 'Train', status: 'SUCCESS', attempts: 1, result: { outputs: { loss, model: { uri: `file:///m/${id}` }, ks: [1, 2] }, metrics: { wall_time_ms: wallMs } } }),
        aNodeState({ name: 'Score', status: 'SUCCESS', attempts: 1, result: { outputs: { ok: true }, metrics: {} } }),
      ],
    },
  });
}

const C1 = child('c1'.padEnd(32, '0'), 'epsilon=0.1 #1', 0.1, 1, 100);
const C2 = child('c2'.padEnd(32, '0'), 'epsilon=0.1 #2', 0.1, 2, 300);
const C3 = child('c3'.padEnd(32, '0'), 'epsilon=0.5 #1', 0.5, 4, 50);
const C4 = child('c4'.padEnd(32, '0'), 'epsilon=0.5 #2', 0.5, 6, 70);
const SWEEP = [C1, C2, C3, C4];
const PARENT = aRun({ id: 'p'.repeat(32), name: 'sweep', params: {}, children: SWEEP.map((r) => r.id), state: { status: 'SUCCESS', progress: 1, nodes: [] } });

function csvOf(file: { content: string } | undefined): string[] {
  assert.ok(file, 'file missing');
  assert.ok(file.content.endsWith('\r\n'));
  return file.content.split('\r\n').slice(0, -1);
}

describe('accio export: CSV', () => {
  it('quotes fields with commas, quotes and line breaks as RFC 4180 says', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(toCsv({ header: ['x', 'y'], rows: [['1', 'a,b']] }), 'x,y\r\n1,"a,b"\r\n');
  });

  it('writes one artifacts row per run: id, name, params, then every Node/port output', () => {
    const table = artifactsTable(SWEEP);
    assert.deepEqual(table.header, ['run_id', 'run_name', 'epsilon', 'k', 'label', 'Train/loss', 'Train/model', 'Train/ks', 'Score/ok']);
    assert.deepEqual(table.rows[0], [C1.id, 'epsilon=0.1 #1', '0.1', '3', 'a,"b"', '1', `file:///m/${C1.id}`, '[1,2]', 'true']);
    assert.equal(toCsv(table).split('\r\n')[1], `${C1.id},epsilon=0.1 #1,0.1,3,"a,""b""",1,file:///m/${C1.id},"[1,2]",true`);
  });

  it('leaves the cells of a node that produced nothing empty', () => {
    const failed = aRun({ params: { epsilon: 1, k: 3, label: 'x' }, state: { status: 'FAILED', progress: 1, nodes: [aNodeState({ name: 'Train', status: 'FAILED' })] } });
    const table = artifactsTable([C1, failed]);
    assert.deepEqual(table.rows[1].slice(5), ['', '', '', '']);
  });

  it('writes one metrics row per run, node and metric', () => {
    const table = metricsTable([C1, C3]);
    assert.deepEqual(table.header, ['run_id', 'run_name', 'epsilon', 'k', 'label', 'node', 'metric', 'value']);
    assert.deepEqual(table.rows, [
      [C1.id, 'epsilon=0.1 #1', '0.1', '3', 'a,"b"', 'Train', 'wall_time_ms', '100'],
      [C3.id, 'epsilon=0.5 #1', '0.5', '3', 'a,"b"', 'Train', 'wall_time_ms', '50'],
    ]);
  });

  it('aggregates a sweep to one row per param combination, averaging numbers over the repeats', () => {
    const table = aggregateArtifactsTable(SWEEP);
    assert.deepEqual(table.header, ['epsilon', 'k', 'label', 'count', 'Train/loss', 'Train/model', 'Train/ks', 'Score/ok']);
    // Numbers are averaged; equal values are kept; values that differ and are not numbers are left empty.
    assert.deepEqual(table.rows, [
      ['0.1', '3', 'a,"b"', '2', '1.5', '', '[1,2]', 'true'],
      ['0.5', '3', 'a,"b"', '2', '5', '', '[1,2]', 'true'],
    ]);
    const files = buildExport(SWEEP, { aggregate: true });
    assert.deepEqual(csvOf(files.find((f) => f.path === 'metrics.csv')), [
      'epsilon,k,label,node,metric,count,mean',
      '0.1,3,"a,""b""",Train,wall_time_ms,2,200',
      '0.5,3,"a,""b""",Train,wall_time_ms,2,60',
    ]);
  });

  it('splits a sweep into one directory per param combination, named by the params that vary', () => {
    assert.deepEqual(varyingParams(SWEEP), ['epsilon']);
    const files = buildExport(SWEEP, { split: true });
    assert.deepEqual(files.map((f) => f.path), ['epsilon=0.1/artifacts.csv', 'epsilon=0.1/metrics.csv', 'epsilon=0.5/artifacts.csv', 'epsilon=0.5/metrics.csv']);
    const rows = csvOf(files[2]);
    assert.equal(rows.length, 3);
    assert.ok(rows[1].startsWith(`${C3.id},`) && rows[2].startsWith(`${C4.id},`));
  });

  it('splits and aggregates together: one row in each directory', () => {
    const files = buildExport(SWEEP, { split: true, aggregate: true });
    assert.deepEqual(csvOf(files[0]), ['epsilon,k,label,count,Train/loss,Train/model,Train/ks,Score/ok', '0.1,3,"a,""b""",2,1.5,,"[1,2]",true']);
  });
});

describe('accio export: runs', () => {
  /** listRuns over the sweep, newest first as agents list, honouring limit and offset. */
  function sweepClient(pageCalls: ListRunsRequest[] = []) {
    const byId = new Map<string, Run>([PARENT, ...SWEEP].map((r) => [r.id, r]));
    return fakeClient({
      getRun: async (id) => {
        const r = byId.get(id);
        if (!r) throw new NotFoundError('run', id);
        return r;
      },
      listRuns: async (req) => {
        pageCalls.push(req);
        if (req.parent !== PARENT.id) return { results: [PARENT], total: 1 };
        const all = [...SWEEP].reverse();
        const offset = req.offset ?? 0;
        // Summaries, as listings may return them: no node results.
        const page = all.slice(offset, offset + Math.min(req.limit ?? 25, 3)).map((r) => ({ ...r, state: { ...r.state, nodes: [] } }));
        return { results: page, total: all.length };
      },
    });
  }

  it('replaces a sweep parent by all its children, reading every page, in expansion order, with their results', async () => {
    const pages: ListRunsRequest[] = [];
    const runs = await collectRuns(sweepClient(pages), [PARENT.id]);
    assert.deepEqual(runs.map((r) => r.id), SWEEP.map((r) => r.id));
    assert.ok(runs.every((r) => r.state.nodes.length === 2), 'children are read with their node results');
    assert.ok(pages.filter((p) => p.parent === PARENT.id).length >= 2, 'more than one page was read');
  });

  it('exports each run once when it is named twice or through its parent', async () => {
    const runs = await collectRuns(sweepClient(), [C1.id, PARENT.id, C1.id]);
    assert.deepEqual(runs.map((r) => r.id), [C1.id, ...SWEEP.map((r) => r.id).filter((id) => id !== C1.id)]);
  });

  it('writes the files into the output directory and returns what it wrote', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'accio-export-')), 'out');
    const outcome = await runCommand(Export, [PARENT.id, '--out', dir, '--split', '--json'], sweepClient());
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    const { result } = JSON.parse(outcome.stdout);
    assert.deepEqual(result, { dir, runs: 4, files: ['epsilon=0.1/artifacts.csv', 'epsilon=0.1/metrics.csv', 'epsilon=0.5/artifacts.csv', 'epsilon=0.5/metrics.csv'] });
    assert.deepEqual(readdirSync(dir).sort(), ['epsilon=0.1', 'epsilon=0.5']);
    assert.match(readFileSync(path.join(dir, 'epsilon=0.5', 'artifacts.csv'), 'utf8'), /^run_id,run_name,epsilon,k,label,Train\/loss/);
  });

  it('refuses to write into a directory that already holds files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'accio-export-'));
    writeFileSync(path.join(dir, 'keep.txt'), 'x');
    const outcome = await runCommand(Export, [C1.id, '--out', dir], sweepClient());
    assert.equal(outcome.exitCode, 1);
    assert.match(outcome.stderr, /already exists and is not empty/);
  });
});
