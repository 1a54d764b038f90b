import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isWildcardHost, printedOrigins, reachableNames } from './tls';

describe('where the browser shell may listen without TLS', () => {
  it('loopback only: 127.x, ::1 (also IPv4-mapped) and localhost; never 0.0.0.0, ::, a LAN address or a look-alike name', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.5', '192.168.1.20', '::ffff:10.0.0.1', 'localhost.evil.example', '127.0.0.1.nip.io', 'clinic-pc', '']) expect(isLoopbackHost(host), host).toBe(false);
    expect(isWildcardHost('0.0.0.0')).toBe(true);
    expect(isWildcardHost('[::]')).toBe(true);
    expect(isWildcardHost('127.0.0.1')).toBe(false);
  });

  it('prints real addresses: for 0.0.0.0 this computer’s IPv4 addresses, loopback first, never 0.0.0.0', () => {
    const ipv4 = Object.values(os.networkInterfaces()).flat().filter((a) => a?.family === 'IPv4').map((a) => a!.address);
    const printed = printedOrigins('0.0.0.0', 8443, true);
    expect(printed[0]).toBe('https://127.0.0.1:8443');
    expect(printed.map((o) => new URL(o).hostname).sort()).toEqual([...ipv4].sort());
    expect(printed.join(' ')).not.toContain('0.0.0.0');
    expect(printedOrigins('127.0.0.1', 4000, false)).toEqual(['http://127.0.0.1:4000']);
    expect(printedOrigins('::1', 4000, false)).toEqual(['http://[::1]:4000']);
  });

  it('answers to the loopback names, the bound address and the certificate’s names only', () => {
    const names = reachableNames('192.168.1.20', { cert: '', key: '', names: ['clinic.example'], spkiSha256: '' });
    expect(names).toEqual(expect.arrayContaining(['127.0.0.1', 'localhost', '::1', '192.168.1.20', 'clinic.example']));
    expect(names).not.toContain('0.0.0.0');
    expect(reachableNames('0.0.0.0')).not.toContain('0.0.0.0');
  });
});
