import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { AccioCommand } from '../../src/cli/shared/accio-command';

const COMMANDS_DIR = path.resolve(__dirname, '..', '..', 'src', 'cli', 'commands');

describe('cli surface', () => {
  const files = readdirSync(COMMANDS_DIR).filter((f) => f.endsWith('.ts'));

  it('has the commands of the design', () => {
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), [
      'agent', 'export', 'inspect', 'kill', 'logs', 'ops', 'ps', 'push', 'rm', 'submit', 'validate', 'version', 'workflows',
    ]);
  });

  for (const file of files) {
    it(`declares summary, description, examples and --json for ${file}`, async () => {
      const mod = (await import(path.join(COMMANDS_DIR, file))) as { default: typeof AccioCommand };
      const command = mod.default;
      assert.ok(command.prototype instanceof AccioCommand, 'extends AccioCommand');
      assert.ok(command.summary && command.summary.length <= 80, 'a one-line summary');
      assert.ok(command.description, 'a description');
      assert.ok(command.examples.length > 0, 'examples');
      for (const example of command.examples) {
        assert.ok(String(example).startsWith('<%= config.bin %> <%= command.id %>'), `example uses the placeholders: ${String(example)}`);
      }
      assert.equal(command.enableJsonFlag, true);
    });
  }
});
