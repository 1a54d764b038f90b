#!/usr/bin/env node
// `npm run web -- [--port N] [--db FILE] [--demo]`: builds the renderer when it is missing or stale,
// then starts the browser shell (the same handlers as the desktop app) under Node through tsx.
import { spawn } from 'node:child_process';
import { ensureRendererBuilt } from './lib/renderer-build.mjs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (!args.includes('--help')) {
  const built = ensureRendererBuilt(root);
  if (!built) process.exit(1);
}
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/web/cli.ts'), ...args], {
  stdio: 'inherit',
  cwd: process.cwd(),
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
