/**
 * CPU profiles for the benchmarks: this process's own through the inspector, and summaries of V8
 * profiles (self time by function and by file or package; time under require()).
 */
import { Session } from 'node:inspector';
import { REPO_ROOT } from './bench-kit';

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Self time by function and by file (or package) summed over V8 CPU profiles, divided by `per`. */
export function summariseProfiles(profiles: CpuProfile[], top: number, per = 1): string[] {
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const selfMs = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000 / per);
    total += addSelfTimes(profile, selfMs, byFn, byFile);
  }
  const rows = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([k, ms]) => `    ${ms.toFixed(per > 1 ? 1 : 0).padStart(6)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return [`  busy (non-idle) samples: ${total.toFixed(per > 1 ? 1 : 0)} ms`, '  self time by function:', ...rows(byFn), '  self time by file / package:', ...rows(byFile)];
}

/**
 * Splits a profile's busy time: under require() (module loading: resolve, read, compile, run the
 * module's top level), garbage collection, V8/Node outside JavaScript ("(program)"), and the rest.
 */
export function categorise(profiles: CpuProfile[], per: number): string {
  const totals = { loading: 0, gc: 0, program: 0, rest: 0 };
  for (const profile of profiles) {
    const parent = new Map<number, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const loading = new Map<number, boolean>();
    const underRequire = (id: number): boolean => {
      const known = loading.get(id);
      if (known !== undefined) return known;
      const fn = byId.get(id)!.callFrame.functionName;
      const p = parent.get(id);
      const v = fn === 'Module._load' || fn === 'require' || (p !== undefined && underRequire(p));
      loading.set(id, v);
      return v;
    };
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i];
      const fn = byId.get(id)!.callFrame.functionName;
      const ms = (profile.timeDeltas[i] ?? 0) / 1000 / per;
      if (fn === '(idle)') continue;
      if (fn === '(garbage collector)') totals.gc += ms;
      else if (fn === '(program)') totals.program += ms;
      else if (underRequire(id)) totals.loading += ms;
      else totals.rest += ms;
    }
  }
  const f = (x: number) => `${x.toFixed(1)} ms`;
  return `  busy time by kind: under require() ${f(totals.loading)}, GC ${f(totals.gc)}, (program) ${f(totals.program)}, everything else ${f(totals.rest)}`;
}

function addSelfTimes(profile: CpuProfile, selfMs: Map<number, number>, byFn: Map<string, number>, byFile: Map<string, number>): number {
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const file = url.replace(/^file:\/\//, '').replace(`${REPO_ROOT}/`, '').replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, 'node_modules/$1') || '(native)';
    const fn = `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    total += ms;
  }
  return total;
}

/** Starts profiling this process (0.5 ms sampling); the returned function stops and returns the profile. */
export async function startInspectorProfile(): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    return profile;
  };
}
