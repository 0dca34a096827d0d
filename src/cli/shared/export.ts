/**
 * `accio export`: runs to CSV files, as pure functions. `artifacts.csv` has one row per run (its
 * params, then one `Node/port` column per output); `metrics.csv` one row per (run, node, metric).
 * `aggregate` groups runs by their params (the repeats of a sweep) and averages numbers; `split`
 * writes one directory per distinct param combination. CSV quoting follows RFC 4180.
 */
import { canonicalJson } from '../../core/canonical';
import { Run } from '../../core/run';
import { Value } from '../../core/values';
import { valueText } from './format';

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** One file of an export, at a path relative to the output directory (`/` separated). */
export interface ExportFile {
  path: string;
  content: string;
}

export interface ExportOptions {
  /** One row per distinct param combination, numbers averaged, with a `count` column. */
  aggregate?: boolean;
  /** One sub-directory per distinct param combination. */
  split?: boolean;
}

/** A field quoted when it holds a comma, a double quote, or a line break; quotes doubled (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV: a header line, then the rows; CRLF line breaks, as RFC 4180 says. */
export function toCsv(table: CsvTable): string {
  return [table.header, ...table.rows].map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

/** Param names over all runs, sorted, so every row has the same columns. */
function paramNames(runs: readonly Run[]): string[] {
  const names = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.params)) names.add(k);
  return [...names].sort();
}

/** `Node/port` for every output of every node, in graph order and then in the order first seen. */
function outputColumns(runs: readonly Run[]): string[] {
  const columns = new Set<string>();
  for (const r of runs) {
    for (const n of r.state.nodes) {
      for (const port of Object.keys(n.result?.outputs ?? {})) columns.add(`${n.name}/${port}`);
    }
  }
  return [...columns];
}

function outputsOf(run: Run): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const n of run.state.nodes) {
    for (const [port, v] of Object.entries(n.result?.outputs ?? {})) out.set(`${n.name}/${port}`, v);
  }
  return out;
}

/** One row per run: `run_id`, `run_name`, each param, each `Node/port` output (empty when the node produced none). */
export function artifactsTable(runs: readonly Run[]): CsvTable {
  const params = paramNames(runs);
  const outputs = outputColumns(runs);
  return {
    header: ['run_id', 'run_name', ...params, ...outputs],
    rows: runs.map((r) => {
      const values = outputsOf(r);
      return [r.id, r.name ?? '', ...params.map((p) => valueText(r.params[p])), ...outputs.map((c) => valueText(values.get(c)))];
    }),
  };
}

/** One row per (run, node, metric): `run_id`, `run_name`, each param, `node`, `metric`, `value`. */
export function metricsTable(runs: readonly Run[]): CsvTable {
  const params = paramNames(runs);
  const rows: string[][] = [];
  for (const r of runs) {
    const paramCells = params.map((p) => valueText(r.params[p]));
    for (const n of r.state.nodes) {
      for (const name of Object.keys(n.result?.metrics ?? {}).sort()) {
        rows.push([r.id, r.name ?? '', ...paramCells, n.name, name, String(n.result!.metrics[name])]);
      }
    }
  }
  return { header: ['run_id', 'run_name', ...params, 'node', 'metric', 'value'], rows };
}

/** Runs grouped by their params (canonical form), groups in the order first seen. */
export function groupByParams(runs: readonly Run[]): Run[][] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const key = canonicalJson(r.params);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

/**
 * What a group of values reads as: the mean when they are all numbers; the value when they are
 * all the same; empty otherwise (no missing value counts).
 */
function summarize(values: readonly Value[]): string {
  if (values.length === 0) return '';
  if (values.every((v) => typeof v === 'number')) return String(mean(values as number[]));
  const first = canonicalJson(values[0]);
  return values.every((v) => canonicalJson(v) === first) ? valueText(values[0]) : '';
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** One row per distinct param combination: each param, `count` (runs in the group), each output summarized. */
export function aggregateArtifactsTable(runs: readonly Run[]): CsvTable {
  const params = paramNames(runs);
  const outputs = outputColumns(runs);
  return {
    header: [...params, 'count', ...outputs],
    rows: groupByParams(runs).map((group) => {
      const values = group.map(outputsOf);
      return [
        ...params.map((p) => valueText(group[0].params[p])),
        String(group.length),
        ...outputs.map((c) => summarize(values.map((v) => v.get(c)).filter((v): v is Value => v !== undefined))),
      ];
    }),
  };
}

/** One row per (param combination, node, metric): each param, `node`, `metric`, `count`, `mean`. */
export function aggregateMetricsTable(runs: readonly Run[]): CsvTable {
  const params = paramNames(runs);
  const rows: string[][] = [];
  for (const group of groupByParams(runs)) {
    const paramCells = params.map((p) => valueText(group[0].params[p]));
    const byMetric = new Map<string, { node: string; metric: string; values: number[] }>();
    for (const r of group) {
      for (const n of r.state.nodes) {
        for (const name of Object.keys(n.result?.metrics ?? {}).sort()) {
          const key = `${n.name}\u0000${name}`;
          const entry = byMetric.get(key) ?? { node: n.name, metric: name, values: [] };
          entry.values.push(n.result!.metrics[name]);
          byMetric.set(key, entry);
        }
      }
    }
    for (const e of byMetric.values()) rows.push([...paramCells, e.node, e.metric, String(e.values.length), String(mean(e.values))]);
  }
  return { header: [...params, 'node', 'metric', 'count', 'mean'], rows };
}

/** Params whose value is not the same in every run: what tells the runs of a sweep apart. */
export function varyingParams(runs: readonly Run[]): string[] {
  return paramNames(runs).filter((p) => new Set(runs.map((r) => (p in r.params ? canonicalJson(r.params[p]) : ''))).size > 1);
}

/** A directory name from the varying params of a group: `epsilon=0.1,k=3`, safe on every file system. */
function directoryName(run: Run, varying: readonly string[]): string {
  if (varying.length === 0) return 'all';
  const label = varying.map((p) => `${p}=${valueText(run.params[p])}`).join(',');
  return label.replace(/[^A-Za-z0-9._=,+-]/g, '_').slice(0, 200);
}

function filesFor(runs: readonly Run[], options: ExportOptions, prefix: string): ExportFile[] {
  const artifacts = options.aggregate ? aggregateArtifactsTable(runs) : artifactsTable(runs);
  const metrics = options.aggregate ? aggregateMetricsTable(runs) : metricsTable(runs);
  return [
    { path: `${prefix}artifacts.csv`, content: toCsv(artifacts) },
    { path: `${prefix}metrics.csv`, content: toCsv(metrics) },
  ];
}

/**
 * The files of an export of `runs` (sweep parents already replaced by their children). With
 * `split`, one directory per param combination, named after the params that vary; two
 * combinations whose names collide after cleaning get `-2`, `-3` suffixes.
 */
export function buildExport(runs: readonly Run[], options: ExportOptions = {}): ExportFile[] {
  if (!options.split) return filesFor(runs, options, '');
  const varying = varyingParams(runs);
  const used = new Map<string, number>();
  const files: ExportFile[] = [];
  for (const group of groupByParams(runs)) {
    const base = directoryName(group[0], varying);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const dir = n === 1 ? base : `${base}-${n}`;
    files.push(...filesFor(group, options, `${dir}/`));
  }
  return files;
}
