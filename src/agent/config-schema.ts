/**
 * The shape of the agent's configuration file: every section, every key, its kind and default.
 * One table serves validation (unknown keys and bad values fail with their path), environment
 * overrides (matched against these keys) and the documented example in docs/configuration.md.
 */

export type FieldKind = 'string' | 'path' | 'integer' | 'number' | 'boolean';

export interface FieldSpec {
  kind: FieldKind;
  /** Positive numbers only. */
  positive?: boolean;
  help: string;
}

export interface SectionSpec {
  /** Fields every type of this section accepts (or the only fields, for a section without types). */
  fields: Record<string, FieldSpec>;
  /** Plugin sections: implementation type -> its own fields. */
  types?: Record<string, Record<string, FieldSpec>>;
}

const int = (help: string): FieldSpec => ({ kind: 'integer', positive: true, help });

export const CONFIG_SCHEMA: Record<string, SectionSpec> = {
  agent: {
    fields: {
      host: { kind: 'string', help: 'interface the Thrift API listens on' },
      port: { kind: 'integer', help: 'Thrift API port (0 picks a free one)' },
      advertise: { kind: 'string', help: 'host:port executors call back; defaults to host:port' },
      dataDir: { kind: 'path', help: 'where local plugins keep their files' },
    },
  },
  engine: {
    fields: {
      heartbeatIntervalMs: int('how often executors heartbeat'),
      heartbeatTimeoutMs: int('a running task silent this long is lost'),
      lostCheckIntervalMs: int('how often lost tasks are looked for'),
      maxChildren: int('largest sweep accepted, in child runs'),
      retryMaxAttempts: int('attempts per node, the first included'),
      retryBackoffMs: int('delay before the second attempt; doubles after'),
      retryFailed: { kind: 'boolean', help: 'retry operator failures too, not only lost executors' },
    },
  },
  storage: {
    fields: {},
    types: { memory: {}, sqlite: { path: { kind: 'path', help: 'database file' } } },
  },
  statemgr: { fields: {}, types: { local: {} } },
  uploader: { fields: {}, types: { local: { path: { kind: 'path', help: 'artifact directory' } } } },
  scheduler: {
    fields: {},
    types: {
      local: {
        totalCpu: { kind: 'number', positive: true, help: 'cores executors may use together (default: all)' },
        totalMemoryMb: int('memory executors may use together (default: all)'),
        killGraceMs: int('SIGTERM to SIGKILL delay'),
        workDir: { kind: 'path', help: 'executor sandboxes and their debug logs' },
        reuseExecutors: { kind: 'boolean', help: 'run tasks on long-lived executor processes (faster short tasks, weaker isolation)' },
        maxTasksPerWorker: int('with reuseExecutors: a worker is replaced after this many tasks'),
      },
    },
  },
};
