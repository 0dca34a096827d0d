/**
 * The trace and POI dataset formats (docs/operators.md): a directory with one CSV file per user,
 * `<user>.csv`. Traces have the header `time_ms,lat,lng`, sorted by time; POI sets have
 * `lat,lng,start_ms,end_ms`, sorted by start. Latitudes and longitudes are WGS84 degrees.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AccioError } from '../../core/errors';
import { LatLng } from './lat-lng';

/** One position of a user at one time. */
export interface TraceEvent extends LatLng {
  /** Unix epoch milliseconds. */
  timeMs: number;
}

/** A place where a user stayed. */
export interface Poi extends LatLng {
  startMs: number;
  endMs: number;
}

/** User id -> that user's rows; iteration order is sorted by user id. */
export type UserTable<Row> = Map<string, Row[]>;

export const TRACE_HEADER = 'time_ms,lat,lng';
export const POI_HEADER = 'lat,lng,start_ms,end_ms';

/** Six decimals of a degree is about 0.1 m: below GPS accuracy, and it keeps files small. */
const coord = (x: number): string => x.toFixed(6);

async function csvFiles(path: string): Promise<{ user: string; file: string }[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new AccioError('INVALID', `dataset not found: ${path}`);
  // A single CSV file is accepted as a dataset of one user, which is handy for hand-made inputs.
  if (info.isFile()) return [{ user: basename(path).replace(/\.csv$/, ''), file: path }];
  const names = (await readdir(path)).filter((n) => n.endsWith('.csv')).sort();
  return names.map((n) => ({ user: n.slice(0, -'.csv'.length), file: join(path, n) }));
}

async function readTable<Row>(path: string, header: string, parse: (cells: number[]) => Row): Promise<UserTable<Row>> {
  const table: UserTable<Row> = new Map();
  const width = header.split(',').length;
  for (const { user, file } of await csvFiles(path)) {
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
    if (lines[0].trim() !== header) {
      throw new AccioError('INVALID', `${file}: expected the header "${header}", got "${lines[0]}"`);
    }
    const rows: Row[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      const cells = line.split(',').map(Number);
      if (cells.length !== width || cells.some((c) => !Number.isFinite(c))) {
        throw new AccioError('INVALID', `${file}:${i + 1}: expected ${width} numbers (${header}), got "${line}"`);
      }
      rows.push(parse(cells));
    }
    table.set(user, rows);
  }
  return table;
}

async function writeTable<Row>(dir: string, table: UserTable<Row>, header: string, format: (row: Row) => string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [user, rows] of table) {
    const body = rows.map((r) => `${format(r)}\n`).join('');
    await writeFile(join(dir, `${user}.csv`), `${header}\n${body}`);
  }
}

/** Reads a trace dataset; events are sorted by time (stable for equal times). */
export async function readTraces(path: string): Promise<UserTable<TraceEvent>> {
  const table = await readTable(path, TRACE_HEADER, ([timeMs, lat, lng]) => ({ timeMs, lat, lng }));
  for (const events of table.values()) events.sort((a, b) => a.timeMs - b.timeMs);
  return table;
}

/** Writes a trace dataset into `dir` (created if needed). */
export async function writeTraces(dir: string, table: UserTable<TraceEvent>): Promise<void> {
  await writeTable(dir, table, TRACE_HEADER, (e) => `${Math.round(e.timeMs)},${coord(e.lat)},${coord(e.lng)}`);
}

/** Reads a POI dataset. */
export async function readPois(path: string): Promise<UserTable<Poi>> {
  return readTable(path, POI_HEADER, ([lat, lng, startMs, endMs]) => ({ lat, lng, startMs, endMs }));
}

/** Writes a POI dataset into `dir` (created if needed). */
export async function writePois(dir: string, table: UserTable<Poi>): Promise<void> {
  await writeTable(dir, table, POI_HEADER, (p) => `${coord(p.lat)},${coord(p.lng)},${Math.round(p.startMs)},${Math.round(p.endMs)}`);
}
