/**
 * Where a Reservoir HTTP server may listen, and its TLS: kept apart from the browser shell so that a
 * later clinic server (`reservoir serve`) listens the same way. Off loopback, patient data and
 * passwords would cross the network, so a server there needs a certificate and its key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { fail, ok, type Result } from '../../shared/contract/result';

/** A certificate (PEM, with its chain) and its private key (PEM), checked to belong together. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** The host names and IP addresses the certificate is for (its subjectAltName, else its CN). */
  names: string[];
  /** SHA-256 of the certificate's public key (base64), for clients that pin it. */
  spkiSha256: string;
}

/** True for addresses only this computer can reach: 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

/** True for the addresses that mean "every interface". */
export function isWildcardHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::';
}

/**
 * Reads and checks `--tls-cert` and `--tls-key`: both files exist, hold PEM, and the key is the
 * certificate's. Errors name the option and the problem.
 */
export function loadTls(certFile: string, keyFile: string): Result<TlsMaterial> {
  const cert = readPem(certFile, 'tls-cert', 'certificate');
  if (!cert.ok) return cert;
  const key = readPem(keyFile, 'tls-key', 'private key');
  if (!key.ok) return key;
  let x509: crypto.X509Certificate;
  try {
    x509 = new crypto.X509Certificate(cert.value);
  } catch {
    return fail('invalid_input', `--tls-cert ${certFile} is not a PEM certificate ("-----BEGIN CERTIFICATE-----").`, 'tls-cert');
  }
  try {
    tls.createSecureContext({ cert: cert.value, key: key.value });
  } catch {
    return fail('invalid_input', `--tls-key ${keyFile} is not the private key of the certificate in ${certFile} (or it is encrypted with a passphrase).`, 'tls-key');
  }
  if (new Date(x509.validTo).getTime() < Date.now()) {
    return fail('invalid_input', `--tls-cert ${certFile} expired on ${x509.validTo}; give a current certificate.`, 'tls-cert');
  }
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return ok({ cert: cert.value, key: key.value, names: certificateNames(x509), spkiSha256: crypto.createHash('sha256').update(spki).digest('base64') });
}

function readPem(file: string, option: string, what: string): Result<string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'cannot be read (permission denied)' : 'cannot be read';
    return fail('invalid_input', `--${option} ${file} ${why}; give the ${what} file (PEM).`, option);
  }
  if (!text.includes('-----BEGIN ')) return fail('invalid_input', `--${option} ${file} is not a PEM ${what} (no "-----BEGIN" line).`, option);
  return ok(text);
}

function certificateNames(x509: crypto.X509Certificate): string[] {
  const names: string[] = [];
  for (const part of (x509.subjectAltName ?? '').split(',')) {
    const m = /^\s*(DNS|IP Address):(.+)$/.exec(part);
    if (m) names.push(m[2]!.trim().toLowerCase());
  }
  if (names.length === 0) {
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(x509.subject);
    if (cn) names.push(cn[1]!.trim().toLowerCase());
  }
  return names;
}

/** An HTTP server, or HTTPS with `tls`: the one place a Reservoir server chooses. */
export function createServer(handler: http.RequestListener, material?: TlsMaterial): http.Server {
  if (!material) return http.createServer(handler);
  return https.createServer({ cert: material.cert, key: material.key, minVersion: 'TLSv1.2' }, handler);
}

/**
 * The host names a server bound to `host` is really reached at: the loopback names, the bound
 * address, for 0.0.0.0 or :: every address of this computer's interfaces, and the certificate's
 * names. Used for the Host check (DNS rebinding) and for the exact Origin check.
 */
export function reachableNames(host: string, material?: TlsMaterial): string[] {
  const names = new Set<string>(['127.0.0.1', 'localhost', '::1']);
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isWildcardHost(bare)) for (const a of interfaceAddresses(bare)) names.add(a);
  else names.add(bare);
  for (const n of material?.names ?? []) names.add(n);
  return [...names];
}

/** This computer's interface addresses: IPv4 for 0.0.0.0, IPv4 and IPv6 for ::; loopback first. */
export function interfaceAddresses(wildcard: string): string[] {
  const all = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined)
    .filter((a) => wildcard === '::' || a.family === 'IPv4')
    // Link-local IPv6 addresses need a zone (%eth0) that an address bar does not take.
    .filter((a) => !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')));
  return [...all.filter((a) => a.internal), ...all.filter((a) => !a.internal)].map((a) => a.address.toLowerCase());
}

/**
 * The addresses to print for a server bound to `host`: real ones (never 0.0.0.0), `https://` with TLS.
 * The first is loopback where the server can be reached there.
 */
export function printedOrigins(host: string, port: number, secure: boolean): string[] {
  const scheme = secure ? 'https' : 'http';
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  const found = isWildcardHost(bare) ? interfaceAddresses(bare) : [bare];
  const hosts = found.length > 0 ? found : [bare === '::' ? '::1' : '127.0.0.1'];
  return hosts.map((h) => `${scheme}://${h.includes(':') ? `[${h}]` : h}:${port}`);
}
