import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without types
import { chooseEntry } from './bundle-entry.mjs';

type Entry = { kind: 'bundle'; file: string } | { kind: 'source' } | { kind: 'missing'; message: string };
const choose = chooseEntry as (root: string, bundle: string, o?: { env?: NodeJS.ProcessEnv }) => Entry;

let root: string;
const write = (rel: string, ageSeconds: number) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x');
  const t = new Date(Date.now() - ageSeconds * 1000);
  fs.utimesSync(file, t, t);
  for (let d = path.dirname(file); d !== root; d = path.dirname(d)) fs.utimesSync(d, t, t);
};
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-entry-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('chooseEntry: the bundle or the sources for npx reservoir and npm run web', () => {
  it('a checkout whose bundle is newer than every source runs the bundle', () => {
    write('electron/cli/main.ts', 100);
    write('shared/domain/units.ts', 100);
    write('package.json', 100);
    write('dist-electron/cli.cjs', 10);
    expect(choose(root, 'cli.cjs', { env: {} })).toEqual({ kind: 'bundle', file: path.join(root, 'dist-electron/cli.cjs') });
  });

  it('one source edited after the build: the sources (tsx), never a stale bundle', () => {
    write('dist-electron/cli.cjs', 100);
    write('electron/cli/main.ts', 200);
    write('shared/domain/units.ts', 5);
    expect(choose(root, 'cli.cjs', { env: {} })).toEqual({ kind: 'source' });
  });

  it('a checkout without a build runs the sources', () => {
    write('electron/cli/main.ts', 100);
    expect(choose(root, 'cli.cjs', { env: {} })).toEqual({ kind: 'source' });
  });

  it('a copy without the sources runs the bundle, or says to build it', () => {
    write('dist-electron/web.cjs', 100);
    expect(choose(root, 'web.cjs', { env: {} })).toMatchObject({ kind: 'bundle' });
    expect(choose(root, 'cli.cjs', { env: {} })).toEqual({ kind: 'missing', message: expect.stringMatching(/npm run build/) });
  });

  it('RESERVOIR_CLI=bundle or =source decides (tests); a forced bundle that is missing is an error', () => {
    write('electron/cli/main.ts', 5);
    write('dist-electron/cli.cjs', 100);
    expect(choose(root, 'cli.cjs', { env: { RESERVOIR_CLI: 'bundle' } })).toMatchObject({ kind: 'bundle' });
    expect(choose(root, 'cli.cjs', { env: { RESERVOIR_CLI: 'source' } })).toEqual({ kind: 'source' });
    expect(choose(root, 'web.cjs', { env: { RESERVOIR_CLI: 'bundle' } })).toMatchObject({ kind: 'missing' });
  });
});
