import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding } from './native-binding';

describe('better-sqlite3 for Electron', () => {
  it('uses the .electron-native build in development', () => {
    const file = path.join('/app', '.electron-native', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
    expect(electronNativeBinding({ isPackaged: false, appRoot: '/app', exists: (f) => f === file })).toEqual({ ok: true, value: file });
  });

  it('explains what to do when that build is missing, never falling back to the Node build', () => {
    const r = electronNativeBinding({ isPackaged: false, appRoot: '/app', exists: () => false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/npm start.*npm run web -- --demo/s);
  });

  it('uses the default lookup in a packaged app (electron-builder rebuilt the module)', () => {
    expect(electronNativeBinding({ isPackaged: true, appRoot: '/app', exists: () => true })).toEqual({ ok: true, value: undefined });
  });
});
