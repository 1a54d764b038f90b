#!/usr/bin/env node
// The `reservoir` command under Node (a checkout: `npx reservoir`). It runs the bundled CLI
// (dist-electron/cli.cjs, `npm run build`) when that is up to date with the sources, else the
// TypeScript sources through tsx (scripts/lib/bundle-entry.mjs says exactly when). The installed
// desktop app has its own `reservoir` command, without Node (docs/architecture.md, "Entry points").
import { createRequire } from 'node:module';
import path from 'node:path';
import { chooseEntry } from '../scripts/lib/bundle-entry.mjs';

const root = path.resolve(import.meta.dirname, '..');
const entry = chooseEntry(root, 'cli.cjs');
let cli;
if (entry.kind === 'bundle') {
  cli = createRequire(import.meta.url)(entry.file);
} else if (entry.kind === 'source') {
  const { register } = await import('tsx/esm/api');
  register();
  cli = {
    ...(await import('../electron/cli/main.ts')),
    ...(await import('../electron/services/store/private-files.ts')),
  };
} else {
  console.error(`reservoir: ${entry.message}`);
  process.exit(1);
}
// Everything a command writes (databases, backups, exports, reports) is owner-only (docs/security.md).
cli.restrictUmask();
process.exitCode = await cli.mainAsync(process.argv.slice(2));
