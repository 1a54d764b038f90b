import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export interface RunningShell {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/**
 * Starts the real browser shell (`electron/web/cli.ts`, as `npm run web` does) on a database file,
 * and resolves with the address it prints. Expects the renderer to be built (npm test builds it).
 */
export async function startShell(dbFile: string, extraArgs: string[] = []): Promise<RunningShell> {
  if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` first (npm test does).');
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/web/cli.ts'), '--db', dbFile, ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser shell did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser shell exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A fresh data folder for one test. */
export function freshDataDir(): { dir: string; db: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-e2e-'));
  return { dir, db: path.join(dir, 'clinic.db'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
