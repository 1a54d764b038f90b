/**
 * The clinic server's certificate (`reservoir serve`): the clinic's own (`--tls-cert`/`--tls-key`),
 * or a self-signed one made on first start with `selfsigned` (no hand-written ASN.1) and kept beside
 * the database, owner-only, for later starts. Workstations pin it by its SHA-256 fingerprint.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import selfsigned from 'selfsigned';
import { fail, ok, type Result } from '../../shared/contract/result';
import { PRIVATE_FILE_MODE } from '../services/store/private-files';
import { interfaceAddresses, isWildcardHost, loadTls, type TlsMaterial } from './tls';

/** How long a self-signed certificate is valid: five years (renewing it means re-pinning every workstation). */
export const SELF_SIGNED_DAYS = 5 * 365;

/** Where `serve` keeps the self-signed certificate and its key for the database `databasePath`. */
export function selfSignedFiles(databasePath: string): { certFile: string; keyFile: string } {
  return { certFile: `${databasePath}.tls-cert.pem`, keyFile: `${databasePath}.tls-key.pem` };
}

/**
 * Refuses a private key file that other accounts on this computer can read (any group or other bit):
 * whoever reads it can impersonate the clinic server. Windows has no modes (the folder's ACL protects it).
 */
export function checkPrivateKeyFile(file: string, option: string): Result<void> {
  if (process.platform === 'win32') return ok(undefined);
  let mode: number;
  try {
    mode = fs.statSync(file).mode;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail('invalid_input', `${option} ${file} ${code === 'ENOENT' ? 'does not exist' : 'cannot be read'}; give the private key file (PEM).`, option.replace(/^--/, ''));
  }
  if ((mode & 0o077) !== 0) {
    const shown = (mode & 0o777).toString(8).padStart(4, '0');
    return fail(
      'invalid_input',
      `Refused: the private key ${file} can be read by other accounts on this computer (mode ${shown}), and whoever reads it can pose as the clinic server. Make it readable by the account that runs Reservoir only: chmod 600 ${file}`,
      option.replace(/^--/, ''),
    );
  }
  return ok(undefined);
}

/** The names a self-signed certificate is made for: this computer's host name, `localhost`, its addresses and the bound one. */
export function certificateNamesFor(host: string): { dns: string[]; ips: string[] } {
  const dns = new Set<string>(['localhost']);
  const hostname = os.hostname().toLowerCase();
  if (hostname !== '' && !net.isIP(hostname)) dns.add(hostname);
  const ips = new Set<string>(['127.0.0.1', '::1', ...interfaceAddresses('::')]);
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (!isWildcardHost(bare)) {
    if (net.isIP(bare)) ips.add(bare);
    else if (bare !== '') dns.add(bare);
  }
  return { dns: [...dns], ips: [...ips] };
}

/** The certificate's SHA-256 fingerprint in the usual form: `AB:CD:…` (64 hex digits in pairs). */
export function certificateFingerprint(certPem: string): string {
  return new crypto.X509Certificate(certPem).fingerprint256;
}

export interface ServerCertificate {
  tls: TlsMaterial;
  certFile: string;
  keyFile: string;
  /** True when this start made it (a new self-signed certificate: the workstations must pin it). */
  created: boolean;
  fingerprint: string;
}

/**
 * The server's certificate: the given files (checked, the key owner-only), else the self-signed
 * pair beside the database (reused, the key checked), else a new self-signed pair made now for
 * `host` and this computer's names and addresses, written 0600.
 */
export async function serverCertificate(options: { databasePath: string; host: string; certFile?: string; keyFile?: string; now?: () => number }): Promise<Result<ServerCertificate>> {
  if (options.certFile !== undefined && options.keyFile !== undefined) return loadChecked(options.certFile, options.keyFile, false, '--tls-key');
  const { certFile, keyFile } = selfSignedFiles(options.databasePath);
  const haveCert = fs.existsSync(certFile);
  const haveKey = fs.existsSync(keyFile);
  if (haveCert && haveKey) return loadChecked(certFile, keyFile, false, 'The self-signed key');
  if (haveCert !== haveKey) {
    return fail('invalid_input', `Only one of ${certFile} and ${keyFile} is there: the server's certificate and its key go together. Remove the one left (the workstations will have to pin the new certificate), or give --tls-cert and --tls-key.`);
  }
  const names = certificateNamesFor(options.host);
  const notBefore = new Date((options.now ?? Date.now)() - 60_000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: names.dns.find((n) => n !== 'localhost') ?? 'localhost' }, { name: 'organizationName', value: 'Reservoir clinic server' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: new Date(notBefore.getTime() + SELF_SIGNED_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2 as const, value })), ...names.ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  // Owner-only from the first byte; `wx`: never over a file another start is writing.
  fs.writeFileSync(keyFile, pems.private, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  fs.writeFileSync(certFile, pems.cert, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return loadChecked(certFile, keyFile, true, 'The self-signed key');
}

function loadChecked(certFile: string, keyFile: string, created: boolean, option: string): Result<ServerCertificate> {
  const privateKey = checkPrivateKeyFile(keyFile, option);
  if (!privateKey.ok) return privateKey;
  const tls = loadTls(certFile, keyFile);
  if (!tls.ok) return tls;
  return ok({ tls: tls.value, certFile, keyFile, created, fingerprint: certificateFingerprint(tls.value.cert) });
}
