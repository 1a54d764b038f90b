#!/usr/bin/env node
// `npm run web -- [--port N] [--db FILE] [--demo]`: builds the renderer and the bundles when they are
// missing or stale, then starts the browser shell (the same handlers as the desktop app) under Node
// from the bundle dist-electron/web.cjs. RESERVOIR_CLI=source runs the TypeScript through tsx instead
// (scripts/lib/bundle-entry.mjs).
import { spawn } from 'node:child_process';
import { ensureRendererBuilt } from './lib/renderer-build.mjs';
import { chooseEntry } from './lib/bundle-entry.mjs';
import { buildElectron } from './build-electron.mjs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (!args.includes('--help')) {
  const built = ensureRendererBuilt(root);
  if (!built) process.exit(1);
}
let entry = chooseEntry(root, 'web.cjs');
if (entry.kind !== 'bundle' && process.env.RESERVOIR_CLI !== 'source') {
  console.error('Building the server bundles (esbuild)…');
  try {
    await buildElectron({ root });
  } catch (e) {
    console.error(`The bundles could not be built: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  entry = { kind: 'bundle', file: path.join(root, 'dist-electron', 'web.cjs') };
}
const command = entry.kind === 'bundle' ? [entry.file] : ['--import', 'tsx', path.join(root, 'electron/web/cli.ts')];
const child = spawn(process.execPath, [...command, ...args], {
  stdio: 'inherit',
  cwd: process.cwd(),
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
