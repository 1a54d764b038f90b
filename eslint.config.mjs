import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'util', 'stream', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'dist-bench/', 'release/', 'test-results/', 'playwright-report/', '.electron-native/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'SwitchStatement > SwitchCase[test=null]', message: 'No silent default: switch exhaustively and call assertNever.' },
      ],
    },
  },
  {
    files: ['scripts/**', 'bin/**', 'e2e/**', '*.mjs', '*.mts', 'electron/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Process boundaries. shared/ is pure: no Electron, no Node, no DOM.
  {
    files: ['shared/**'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ runs in every process: no Electron.' }],
          patterns: [
            { group: nodeBuiltins, message: 'shared/ runs in the renderer too: no Node modules.' },
            { group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'recharts'], message: 'shared/ imports only shared/ and pure libraries.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'fetch', 'process', 'require', 'Buffer'],
    },
  },
  // The renderer never reaches into the main process or Node.
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through the contract client.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer has no Node.' },
            { group: ['**/electron/**'], message: 'The renderer imports shared/, never electron/.' },
            { group: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'], message: 'The renderer has no database access.' },
          ],
        },
      ],
    },
  },
  // Main-process services are plain Node: they must run without Electron (tests, CLI, browser shell).
  {
    files: ['electron/services/**', 'electron/web/**', 'electron/cli/**', 'electron/remote/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Services run under plain Node; only electron/main and electron/preload import electron.' }],
          patterns: [{ group: ['**/renderer/**', '**/electron/main/**'], message: 'Services do not depend on the Electron shell or the renderer.' }],
        },
      ],
    },
  },
  // Every transaction on the database begins through store/transactions.ts: writes IMMEDIATE,
  // reads DEFERRED (better-sqlite3's own `db.transaction(fn)()` is DEFERRED, a write then fails
  // half-way when another connection wrote first).
  {
    files: ['electron/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['electron/services/store/transactions.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'SwitchStatement > SwitchCase[test=null]', message: 'No silent default: switch exhaustively and call assertNever.' },
        {
          selector: "CallExpression > MemberExpression.callee[property.name='transaction']:matches([object.name='db'], [object.property.name='db'])",
          message: 'Begin transactions through store/transactions.ts: writeTransaction (BEGIN IMMEDIATE) or readTransaction (a snapshot).',
        },
      ],
    },
  },
  // Released migrations are frozen (docs/architecture.md, "Migrations"): a file under
  // store/migrations/<dialect>/ imports the migration type and nothing else, so no feature's SQL or
  // code can change a migration already run on clinics' databases.
  {
    files: ['electron/services/store/migrations/*/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\./types$).*',
              message: 'A frozen migration imports nothing but the migration type (../types): copy what it needs into the file.',
            },
          ],
        },
      ],
    },
  },
  // The preload is sandboxed: electron and the request names only.
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'A sandboxed preload has no Node modules.' },
            { group: ['zod', '**/services/**', '**/renderer/**'], message: 'The preload forwards requests and nothing else.' },
          ],
        },
      ],
    },
  },
);
