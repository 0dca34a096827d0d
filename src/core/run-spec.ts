/**
 * Run definitions: which workflow, with which params. A param is explored by one value, a list of
 * values, or a range; the cartesian product of all explorations × `repeat` is the sweep.
 * Raw values stay as written until validated against the workflow's param types.
 */

export type Exploration =
  /**
   * One value. `text: true` marks a value typed on a command line (`key=value`): validation reads it
   * with `parseValueText` (so `ks=[1,2]` is one list) instead of `coerceValue`.
   */
  | { kind: 'single'; value: unknown; text?: boolean }
  | { kind: 'values'; values: unknown[] }
  /** Inclusive of `from`, and of `to` when a whole number of steps reaches it. `log` ranges step in log space. */
  | { kind: 'range'; from: unknown; to: unknown; step: unknown; log?: 10 | 2 | 'e' };

export interface RunSpec {
  workflow: { id: string; version?: string };
  name?: string;
  notes?: string;
  tags: string[];
  owner?: string;
  /** Parent seed; drawn by the caller when absent. */
  seed?: number;
  /** @default 1 */
  repeat: number;
  params: Record<string, Exploration>;
}
