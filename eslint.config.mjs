// Lint: typescript-eslint's recommended rules plus the layer rule of docs/architecture.md:
// imports point downward only (core <- plugins/operators <- api <- engine <- apps).
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const layer = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/api/gen-nodejs/**', 'test/support/*.cjs', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-restricted-paths': ['error', {
        zones: [
          layer('./src/core', './src/!(core)/**', 'src/core is pure: it imports nothing else from src.'),
          layer('./src/plugins', './src/!(core|plugins)/**', 'plugins import only core.'),
          layer('./src/operators', './src/!(core|operators)/**', 'operators import only core.'),
          layer('./src/api', './src/!(core|api)/**', 'api imports only core.'),
          layer('./src/engine', './src/!(core|api|plugins|engine|operators)/**', 'the engine imports core, api, plugins.'),
        ],
      }],
    },
  },
);
