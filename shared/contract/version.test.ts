import { describe, expect, it } from 'vitest';
import { clientHeaders, CONTRACT_VERSION, parseContractVersion, parseWorkstationName, readServerVersion, THIS_VERSION, versionMismatch } from './version';

describe('versions between a workstation and the clinic server', () => {
  it('agree when the contract versions are equal, whatever the Reservoir versions', () => {
    expect(versionMismatch({ app: '0.1.0', contract: 3 }, { app: '0.1.4', contract: 3 })).toBeNull();
  });

  it('tell an older workstation to update itself to the server’s version', () => {
    expect(versionMismatch({ app: '0.1.0', contract: 1 }, { app: '0.2.0', contract: 2 })).toBe(
      'This workstation runs Reservoir 0.1.0; the clinic server runs 0.2.0. Update Reservoir on this workstation to 0.2.0.',
    );
  });

  it('tell a newer workstation that the server needs the update', () => {
    expect(versionMismatch({ app: '0.3.0', contract: 3 }, { app: '0.2.0', contract: 2 })).toContain('Update Reservoir on the clinic server to 0.3.0');
  });

  it('the client side reads the server’s answer to GET /api/version: a fake old and a fake new server', () => {
    expect(readServerVersion({ ok: true, value: THIS_VERSION })).toEqual({ ok: true, value: THIS_VERSION });
    const old = readServerVersion({ ok: true, value: { app: '0.0.1', contract: CONTRACT_VERSION - 1 } });
    expect(old).toMatchObject({ ok: false, error: { code: 'version_mismatch', message: expect.stringContaining('Update Reservoir on the clinic server') } });
    const newer = readServerVersion({ ok: true, value: { app: '9.9.9', contract: CONTRACT_VERSION + 1 } });
    expect(newer).toMatchObject({ ok: false, error: { code: 'version_mismatch', message: expect.stringContaining('Update Reservoir on this workstation to 9.9.9') } });
    // Not a Reservoir server (a login page of a proxy, an old Reservoir without /api/version).
    expect(readServerVersion('<html>')).toMatchObject({ ok: false, error: { code: 'version_mismatch' } });
  });

  it('sends its versions with every request, and a host name only when it is one', () => {
    expect(clientHeaders()).toEqual({ 'X-Reservoir-Contract': String(CONTRACT_VERSION), 'X-Reservoir-Version': THIS_VERSION.app });
    expect(clientHeaders(THIS_VERSION, 'ROOM1-PC')['X-Reservoir-Workstation']).toBe('ROOM1-PC');
    expect(clientHeaders(THIS_VERSION, 'room 1\r\nX-Evil: 1')['X-Reservoir-Workstation']).toBeUndefined();
  });

  it('reads headers strictly', () => {
    expect(parseContractVersion('2')).toBe(2);
    for (const bad of ['', '1.5', '-1', '01', 'one', '9999999']) expect(parseContractVersion(bad), bad).toBeNull();
    expect(parseWorkstationName('ROOM1-PC.clinic.local')).toBe('ROOM1-PC.clinic.local');
    expect(parseWorkstationName(undefined)).toBeNull();
    expect(parseWorkstationName('a b')).toBe('invalid');
  });
});
