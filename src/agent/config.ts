/**
 * The agent's configuration: built-in defaults, then one YAML file, then environment overrides,
 * then flags. A wrong key or value fails at start-up with every problem and its path.
 *
 * Environment overrides: `ACCIO_<SECTION>_<KEY>=value`, the key matched case-insensitively and
 * without underscores (`ACCIO_SCHEDULER_TOTAL_CPU=4`, `ACCIO_STORAGE_TYPE=memory`).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidDefinitionError, ValidationIssue } from '../core/errors';
import { CONFIG_SCHEMA, FieldSpec } from './config-schema';

export type Section = Record<string, unknown> & { type?: string };
export type AgentConfig = Record<keyof typeof CONFIG_SCHEMA, Section>;

export interface ConfigSources {
  /** Contents of the YAML file, when one was given. */
  fileText?: string;
  fileName?: string;
  env?: Record<string, string | undefined>;
  /** Values from flags, by path (`agent.port`). */
  flags?: Record<string, unknown>;
}

export const DEFAULT_CONFIG: AgentConfig = {
  agent: { host: '127.0.0.1', port: 9999, dataDir: '~/.accio' },
  engine: {},
  storage: { type: 'sqlite' },
  statemgr: { type: 'local' },
  uploader: { type: 'local' },
  scheduler: { type: 'local' },
};

export function loadAgentConfig(sources: ConfigSources): AgentConfig {
  const errors: ValidationIssue[] = [];
  const config = structuredClone(DEFAULT_CONFIG);
  if (sources.fileText !== undefined) mergeFile(config, sources.fileText, sources.fileName, errors);
  mergeEnv(config, sources.env ?? {}, errors);
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    const [section, field] = key.split('.');
    config[section][field] = value;
  }
  validate(config, errors);
  if (errors.length > 0) {
    throw new InvalidDefinitionError('configuration', errors, [], { actions: ['see docs/configuration.md for every key'] });
  }
  return resolvePaths(config);
}

function mergeFile(config: AgentConfig, text: string, fileName: string | undefined, errors: ValidationIssue[]): void {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    errors.push({ path: [], message: `${fileName ?? 'configuration'}: ${(err as Error).message}` });
    return;
  }
  if (doc === null || doc === undefined) return;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    errors.push({ path: [], message: 'the configuration must be a mapping of sections (agent, engine, storage, ...)' });
    return;
  }
  for (const [section, body] of Object.entries(doc as Record<string, unknown>)) {
    if (!(section in CONFIG_SCHEMA)) {
      errors.push({ path: [section], message: `unknown section (known: ${Object.keys(CONFIG_SCHEMA).join(', ')})` });
      continue;
    }
    if (body === null) continue;
    if (typeof body !== 'object' || Array.isArray(body)) {
      errors.push({ path: [section], message: 'expected a mapping of keys' });
      continue;
    }
    const incoming = body as Section;
    // A new plugin type starts from a clean section: options of the default type do not carry over.
    if (incoming.type !== undefined && incoming.type !== config[section].type) config[section] = {};
    Object.assign(config[section], incoming);
  }
}

const squash = (s: string) => s.replace(/_/g, '').toLowerCase();

function mergeEnv(config: AgentConfig, env: Record<string, string | undefined>, errors: ValidationIssue[]): void {
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('ACCIO_') || raw === undefined) continue;
    const rest = name.slice('ACCIO_'.length);
    const section = Object.keys(CONFIG_SCHEMA).find((s) => rest.toLowerCase().startsWith(`${s.toLowerCase()}_`));
    if (!section) continue; // ACCIO_ADDR, ACCIO_USER and friends belong to other programs
    const key = squash(rest.slice(section.length + 1));
    const spec = CONFIG_SCHEMA[section];
    const known = ['type', ...Object.keys(spec.fields), ...Object.values(spec.types ?? {}).flatMap((t) => Object.keys(t))];
    const field = known.find((k) => k.toLowerCase() === key);
    if (!field) {
      errors.push({ path: [section], message: `environment variable ${name} names no key of section ${section} (known: ${known.join(', ')})` });
      continue;
    }
    if (field === 'type' && raw !== config[section].type) config[section] = {};
    config[section][field] = parseScalar(raw);
  }
}

function parseScalar(raw: string): unknown {
  try {
    const v = parseYaml(raw);
    return typeof v === 'object' ? raw : v;
  } catch {
    return raw;
  }
}

function validate(config: AgentConfig, errors: ValidationIssue[]): void {
  for (const [section, spec] of Object.entries(CONFIG_SCHEMA)) {
    const body = config[section];
    let fields = spec.fields;
    if (spec.types) {
      const known = Object.keys(spec.types);
      if (typeof body.type !== 'string' || !known.includes(body.type)) {
        errors.push({ path: [section, 'type'], message: `unknown ${section} type ${JSON.stringify(body.type)} (known: ${known.join(', ')})` });
        continue;
      }
      fields = { ...fields, ...spec.types[body.type] };
    }
    for (const [key, value] of Object.entries(body)) {
      if (key === 'type' && spec.types) continue;
      const field = fields[key];
      if (!field) {
        const where = spec.types ? `${section} type ${body.type}` : `section ${section}`;
        errors.push({ path: [section, key], message: `unknown key for ${where} (known: ${Object.keys(fields).join(', ') || 'none'})` });
        continue;
      }
      const problem = checkField(field, value);
      if (problem) errors.push({ path: [section, key], message: problem });
    }
  }
}

function checkField(field: FieldSpec, value: unknown): string | undefined {
  switch (field.kind) {
    case 'string':
    case 'path':
      return typeof value === 'string' && value.length > 0 ? undefined : `expected text, got ${JSON.stringify(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${JSON.stringify(value)}`;
    case 'integer':
    case 'number': {
      const okType = typeof value === 'number' && (field.kind === 'number' ? Number.isFinite(value) : Number.isSafeInteger(value));
      if (!okType) return `expected ${field.kind === 'integer' ? 'a whole number' : 'a number'}, got ${JSON.stringify(value)}`;
      if (field.positive && (value as number) <= 0) return `expected a positive number, got ${value}`;
      if (!field.positive && (value as number) < 0) return `expected zero or more, got ${value}`;
      return undefined;
    }
  }
}

/** Expands `~`, and gives local plugins their default places under the data directory. */
function resolvePaths(config: AgentConfig): AgentConfig {
  const expand = (p: string) => path.resolve(p.startsWith('~') ? path.join(os.homedir(), p.slice(1)) : p);
  const dataDir = expand(config.agent.dataDir as string);
  config.agent.dataDir = dataDir;
  const defaults: Record<string, Record<string, string>> = {
    storage: { sqlite: path.join(dataDir, 'accio.db') },
    uploader: { local: path.join(dataDir, 'artifacts') },
  };
  for (const [section, byType] of Object.entries(defaults)) {
    const body = config[section];
    const fallback = byType[body.type as string];
    if (fallback !== undefined) body.path = expand((body.path as string | undefined) ?? fallback);
  }
  if (config.scheduler.type === 'local') config.scheduler.workDir = expand((config.scheduler.workDir as string | undefined) ?? path.join(dataDir, 'executors'));
  return config;
}
