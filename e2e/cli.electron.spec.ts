/**
 * The installed app as a command line: the Electron binary started with CLI arguments runs the
 * bundled CLI (dist-electron/cli.cjs) with no window and exits with its status, and prints report
 * PDFs with Electron's own Chromium. Expects `npm run build` and, in development, the Electron build
 * of better-sqlite3 (.electron-native/, made by `npm start`). Where no Electron binary is installed
 * the whole file reports itself skipped, with the reason. The dispatch itself is unit-tested in
 * electron/main/cli-mode.test.ts; the packaged launchers in electron/main/packaging.test.ts.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir, keysEnv } from './shell';
import { findElectronBinary, mainBundle, nativeBuild, root } from './electron-binary';


const electronPath = findElectronBinary();
test.skip(electronPath === null, 'skipped: no Electron binary');
if (electronPath === null) console.log('Electron command-line specs: skipped: no Electron binary (npm start downloads it where it can).');
// As root Chromium starts only with --no-sandbox, which the command line refuses (cli-mode.ts): run these as an ordinary user.
const asRoot = process.getuid?.() === 0;
test.skip(asRoot, 'skipped: running as root (the command line refuses --no-sandbox, which Chromium needs as root)');

test.beforeAll(() => {
  for (const file of ['dist-electron/main.cjs', 'dist-electron/cli.cjs', 'dist/renderer/index.html'])
    if (!fs.existsSync(path.join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does).`);
  if (!fs.existsSync(nativeBuild)) throw new Error('The Electron build of better-sqlite3 is missing (.electron-native/): run `npm start` once; it builds it.');
});

type Run = { code: number | null; out: string; err: string };

/** `Reservoir <args>` as the installed app would run it (in development: electron main.cjs <args>). */
function electronCli(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const clean: NodeJS.ProcessEnv = { ...env };
  delete clean.ELECTRON_RUN_AS_NODE; // the packaged app has the RunAsNode fuse off: never rely on it
  const r = spawnSync(electronPath!, [mainBundle, ...args], { cwd: root, env: clean, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same command under Node, from the same bundle. */
function nodeCli(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/reservoir.mjs'), ...args], { cwd: root, env: { ...env, RESERVOIR_CLI: 'bundle' }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a command line with --no-sandbox is refused: exit status 2 and the reason, nothing run', () => {
  const refused = electronCli(['--cli', '--help', '--no-sandbox']);
  expect(refused.code).toBe(2);
  expect(refused.err).toContain('--no-sandbox is refused');
  expect(refused.out).toBe('');
});

test('--help and bad usage: the same text and exit codes as under Node, and the process ends on its own (no window)', () => {
  const help = electronCli(['--help']);
  expect(help.code).toBe(0);
  expect(help.out).toBe(nodeCli(['--help']).out);
  const wrong = electronCli(['wrklist']);
  expect(wrong.code).toBe(2);
  expect(wrong.err).toContain('unknown command "wrklist"');
  expect(electronCli(['--cli', 'worklist', '--format', 'csv']).code).toBe(2);
});

test("worklist on a generated clinic: the same rows as under Node; a report PDF printed by Electron's Chromium", () => {
  const data = freshDataDir();
  try {
    const env = keysEnv(data.db);
    expect(nodeCli(['generate', '--db', data.db, '--patients', '30', '--years', '2', '--seed', '4', '--as-of', '2026-11-24'], env).code).toBe(0);
    const args = ['worklist', '--db', data.db, '--as-of', '2026-12-01', '--days', '30', '--format', 'csv'];
    const inElectron = electronCli(args, env);
    expect(inElectron.err).toBe('');
    expect(inElectron).toEqual({ code: 0, out: nodeCli(args, env).out, err: '' });

    const pdf = path.join(data.dir, 'activity.pdf');
    const report = electronCli(['report', 'activity', '--db', data.db, '--from', '2025-11-01', '--to', '2026-11-24', '--format', 'pdf', '--out', pdf], { ...env, CHROMIUM_PATH: '/nonexistent' });
    expect(report.err).toBe('');
    expect(report.code).toBe(0);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  } finally {
    data.cleanup();
  }
});
