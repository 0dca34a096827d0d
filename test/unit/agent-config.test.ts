import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAgentConfig } from '../../src/agent/config';
import { InvalidDefinitionError } from '../../src/core/errors';

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InvalidDefinitionError, String(err));
    return err.errors.map((e) => `${e.path.join('.')}: ${e.message}`);
  }
  assert.fail('expected an InvalidDefinitionError');
}

describe('agent configuration', () => {
  it('defaults to sqlite, local plugins and paths under the data directory', () => {
    const c = loadAgentConfig({ flags: { 'agent.dataDir': '/tmp/accio-x' } });
    assert.equal(c.storage.type, 'sqlite');
    assert.equal(c.storage.path, '/tmp/accio-x/accio.db');
    assert.equal(c.uploader.path, '/tmp/accio-x/artifacts');
    assert.equal(c.scheduler.workDir, '/tmp/accio-x/executors');
    assert.equal(loadAgentConfig({}).agent.dataDir, path.join(os.homedir(), '.accio'));
  });

  it('applies the file, then the environment, then flags', () => {
    const c = loadAgentConfig({
      fileText: 'agent:\n  port: 1000\nscheduler:\n  type: local\n  totalCpu: 1\n',
      env: { ACCIO_SCHEDULER_TOTAL_CPU: '3', ACCIO_AGENT_PORT: '2000', ACCIO_ADDR: '127.0.0.1:1' },
      flags: { 'agent.port': 3000 },
    });
    assert.equal(c.scheduler.totalCpu, 3);
    assert.equal(c.agent.port, 3000);
  });

  it('reports every wrong key and value at once, each with its path', () => {
    const errors = errorsOf(() =>
      loadAgentConfig({
        fileText: 'storage:\n  type: mysql\nscheduler:\n  totalCpu: -1\n  colour: blue\nnope: {}\nengine:\n  maxChildren: many\n',
      }),
    );
    assert.equal(errors.length, 5, errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('storage.type: unknown storage type "mysql"')));
    assert.ok(errors.some((e) => e.startsWith('scheduler.totalCpu: expected a positive number')));
    assert.ok(errors.some((e) => e.startsWith('scheduler.colour: unknown key')));
    assert.ok(errors.some((e) => e.startsWith('nope: unknown section')));
    assert.ok(errors.some((e) => e.startsWith('engine.maxChildren: expected a whole number')));
  });

  it('rejects an environment variable that names no key of its section', () => {
    const errors = errorsOf(() => loadAgentConfig({ env: { ACCIO_STORAGE_COLOUR: 'red' } }));
    assert.match(errors[0], /ACCIO_STORAGE_COLOUR names no key of section storage/);
  });

  it('starts a section afresh when its type changes, so options of the old type do not carry over', () => {
    const c = loadAgentConfig({ fileText: 'storage:\n  type: sqlite\n  path: /tmp/a.db\n', env: { ACCIO_STORAGE_TYPE: 'memory' } });
    assert.deepEqual(c.storage, { type: 'memory' });
  });
});
