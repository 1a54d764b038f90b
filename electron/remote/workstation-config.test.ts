import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { normaliseFingerprint, readWorkstationConfig, WORKSTATION_CONFIG_FILE, writeWorkstationConfig } from './workstation-config';

const PIN = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('reservoir-ws-');
});
afterEach(() => tmp.cleanup());

const file = () => path.join(tmp.dir, WORKSTATION_CONFIG_FILE);

describe('workstation configuration', () => {
  it('is unset on the first run (the choice screen), and reads back what was written', () => {
    expect(readWorkstationConfig(tmp.dir)).toEqual({ state: 'unset' });
    expect(writeWorkstationConfig(tmp.dir, { mode: 'local' }).ok).toBe(true);
    expect(readWorkstationConfig(tmp.dir)).toEqual({ state: 'ok', config: { mode: 'local' } });
    const saved = writeWorkstationConfig(tmp.dir, { mode: 'server', url: 'https://reservoir.clinic.local:8443', fingerprint: PIN.toLowerCase().replace(/:/g, ' ') });
    expect(saved.ok).toBe(true); // typed in lower case with spaces: kept in the printed form
    expect(readWorkstationConfig(tmp.dir)).toEqual({ state: 'ok', config: { mode: 'server', url: 'https://reservoir.clinic.local:8443', fingerprint: PIN } });
  });

  it('is written owner-only (0600) and atomically: no partial file is left', () => {
    expect(writeWorkstationConfig(tmp.dir, { mode: 'local' }).ok).toBe(true);
    if (process.platform !== 'win32') expect((fs.statSync(file()).mode & 0o777).toString(8)).toBe('600');
    expect(fs.readdirSync(tmp.dir)).toEqual([WORKSTATION_CONFIG_FILE]);
  });

  it('refuses an address that is not https, carries a password, or a fingerprint that is not SHA-256, naming the field', () => {
    const http = writeWorkstationConfig(tmp.dir, { mode: 'server', url: 'http://reservoir.clinic.local:8443', fingerprint: PIN });
    expect(http.ok || http.error).toMatchObject({ code: 'invalid_input', field: 'url' });
    expect(!http.ok && http.error.message).toContain('https://');
    const creds = writeWorkstationConfig(tmp.dir, { mode: 'server', url: 'https://ada:secret@reservoir.clinic.local', fingerprint: PIN });
    expect(!creds.ok && creds.error.message).toContain('user name or password');
    const short = writeWorkstationConfig(tmp.dir, { mode: 'server', url: 'https://reservoir.clinic.local', fingerprint: 'AA:BB' });
    expect(short.ok || short.error).toMatchObject({ code: 'invalid_input', field: 'fingerprint' });
    expect(fs.existsSync(file())).toBe(false);
  });

  it('a damaged file is a clear message (never a throw), then the choice screen', () => {
    fs.writeFileSync(file(), '{"mode": "server", "url": ', { mode: 0o600 });
    const notJson = readWorkstationConfig(tmp.dir);
    expect(notJson.state).toBe('damaged');
    expect(notJson.state === 'damaged' && notJson.message).toContain('damaged (not JSON)');
    fs.writeFileSync(file(), JSON.stringify({ mode: 'server', url: 'https://x.clinic', fingerprint: 'nope' }));
    const badPin = readWorkstationConfig(tmp.dir);
    expect(badPin.state === 'damaged' && badPin.message).toContain('fingerprint');
    fs.writeFileSync(file(), JSON.stringify({ mode: 'cloud' }));
    expect(readWorkstationConfig(tmp.dir).state).toBe('damaged');
    fs.writeFileSync(file(), JSON.stringify({ mode: 'local', extra: 1 }));
    expect(readWorkstationConfig(tmp.dir).state).toBe('damaged');
  });

  it.skipIf(process.platform === 'win32')('a file other accounts can change is not trusted (it says where passwords go)', () => {
    fs.writeFileSync(file(), JSON.stringify({ mode: 'server', url: 'https://attacker.example', fingerprint: PIN }));
    fs.chmodSync(file(), 0o666);
    const read = readWorkstationConfig(tmp.dir);
    expect(read.state).toBe('damaged');
    expect(read.state === 'damaged' && read.message).toMatch(/can be changed by other accounts.*0666/);
    // Writing again makes it owner-only.
    expect(writeWorkstationConfig(tmp.dir, { mode: 'local' }).ok).toBe(true);
    expect((fs.statSync(file()).mode & 0o777).toString(8)).toBe('600');
    expect(readWorkstationConfig(tmp.dir)).toEqual({ state: 'ok', config: { mode: 'local' } });
  });

  it('normalises a fingerprint typed with spaces or in lower case', () => {
    expect(normaliseFingerprint(PIN.toLowerCase().replace(/:/g, ' '))).toBe(PIN);
    expect(normaliseFingerprint(PIN.replace(/:/g, ''))).toBe(PIN);
  });
});
