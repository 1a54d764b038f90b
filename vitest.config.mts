import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Database keys made by the tests (new databases of the CLI and the shells are encrypted) go to a
// temp folder of this run, never the user's configuration folder (store/keys.ts).
const keysDir = process.env.RESERVOIR_KEYS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-test-keys-'));

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    env: { RESERVOIR_KEYS_DIR: keysDir },
  },
});
