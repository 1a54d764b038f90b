import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ELECTRON_NATIVE_BINDING } from '../electron/main/native-binding';

interface StartModule {
  cleanEnv(env: Record<string, string | undefined>, options?: { forNodeGyp?: boolean }): Record<string, string | undefined>;
  findElectronBinary(): string | null;
  NATIVE_BINARY: string;
}
const load = async () => (await import(pathToFileURL(path.join(import.meta.dirname, 'start.mjs')).href)) as StartModule;

describe('npm start helpers', () => {
  it('never lets Electron run as plain Node', async () => {
    const { cleanEnv } = await load();
    expect(cleanEnv({ ELECTRON_RUN_AS_NODE: '1', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });

  it("keeps node-gyp away from Node's headers when it builds for Electron", async () => {
    const { cleanEnv } = await load();
    const env = cleanEnv({ npm_config_nodedir: '/usr', npm_config_target: '20.0.0', npm_config_runtime: 'node', HOME: '/root' }, { forNodeGyp: true });
    expect(env).toEqual({ HOME: '/root' });
  });

  it('finds an executable Electron binary, or answers null (never a missing path)', async () => {
    const { findElectronBinary } = await load();
    const found = findElectronBinary();
    if (found !== null) expect(() => fs.accessSync(found, fs.constants.X_OK)).not.toThrow();
  });

  it('puts the Electron build of better-sqlite3 where the main process looks for it', async () => {
    const { NATIVE_BINARY } = await load();
    const root = path.resolve(import.meta.dirname, '..');
    expect(path.relative(root, NATIVE_BINARY)).toBe(ELECTRON_NATIVE_BINDING);
  });
});
