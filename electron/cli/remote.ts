/**
 * The command line against a clinic server (`--server URL`): requests made with a personal access
 * token (`Authorization: Bearer rsv_…`, docs/security.md) instead of opening the database file.
 *
 * The token comes from a file only its owner can read (`--token-file`, 0600) or `RESERVOIR_TOKEN`,
 * never from the arguments (`ps` shows them to every user). HTTPS trusts the server's certificate
 * by its SHA-256 fingerprint (`--fingerprint`, printed by `reservoir serve`) or, without one, the
 * system's certificate authorities; plain HTTP only to this computer (loopback).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import type tls from 'node:tls';
import { TOKEN_SECRET } from '../../shared/contract/tokens';
import { clientHeaders, THIS_VERSION } from '../../shared/contract/version';
import { isLoopbackHost } from '../web/tls';
import { UsageError, type CliIo } from './args';

/** A refusal to tell the user (exit 1): the server, the network or the token. */
export class RemoteError extends Error {}

export interface RemoteOptions {
  server: URL;
  secret: string;
  /** The pinned certificate's SHA-256, 64 hex digits upper-case, or null: the system's CAs. */
  fingerprint: string | null;
}

/** `--server`, `--token-file`, `--fingerprint` checked and the token read; usage errors and refusals thrown. */
export function remoteOptions(values: { server: string; tokenFile?: string | undefined; fingerprint?: string | undefined }, io: CliIo): RemoteOptions {
  let server: URL;
  try {
    server = new URL(values.server);
  } catch {
    throw new UsageError(`--server must be the clinic server's address, e.g. https://reservoir.clinic.local:8443 (got ${JSON.stringify(values.server)})`);
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') throw new UsageError(`--server must start with https:// (got ${server.protocol})`);
  if (server.pathname !== '/' || server.search !== '' || server.username !== '' || server.password !== '') throw new UsageError('--server is the address only (https://host:port), without a path, query or user name');
  if (server.protocol === 'http:' && !isLoopbackHost(server.hostname)) throw new UsageError('--server must use https:// off this computer: the token and patient data would cross the network in the clear');
  let fingerprint: string | null = null;
  if (values.fingerprint !== undefined) {
    const hex = values.fingerprint.replace(/:/g, '').toUpperCase();
    if (!/^[0-9A-F]{64}$/.test(hex)) throw new UsageError('--fingerprint must be the SHA-256 fingerprint reservoir serve printed (32 pairs of hex digits: AB:CD:…)');
    if (server.protocol !== 'https:') throw new UsageError('--fingerprint is for an https:// server');
    fingerprint = hex;
  }
  return { server, secret: readToken(values.tokenFile, io), fingerprint };
}

/** The token from `--token-file` (owner-only) or `RESERVOIR_TOKEN`. */
function readToken(tokenFile: string | undefined, io: CliIo): string {
  const env = io.env ?? process.env;
  let secret: string;
  if (tokenFile !== undefined) {
    let st: fs.Stats;
    try {
      st = fs.statSync(tokenFile);
    } catch {
      throw new RemoteError(`the token file ${tokenFile} does not exist or cannot be read`);
    }
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new RemoteError(`the token file ${tokenFile} can be read by other accounts (mode ${(st.mode & 0o777).toString(8)}): run chmod 600 ${tokenFile}, and ask an administrator to revoke the token if someone may have copied it`);
    }
    secret = fs.readFileSync(tokenFile, 'utf8').trim();
  } else if (env.RESERVOIR_TOKEN !== undefined && env.RESERVOIR_TOKEN !== '') {
    secret = env.RESERVOIR_TOKEN.trim();
  } else {
    throw new UsageError('--server needs an access token: --token-file FILE (readable only by you) or the RESERVOIR_TOKEN environment variable; never on the command line');
  }
  if (!TOKEN_SECRET.test(secret)) throw new RemoteError('the access token is not a Reservoir token (rsv_ followed by 43 characters): check the token file');
  return secret;
}

interface Reply {
  status: number;
  body: Buffer;
}

/** One HTTP(S) exchange; with a pinned fingerprint nothing (not even the token) is sent before the certificate matched. */
function exchange(o: RemoteOptions, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string | null): Promise<Reply> {
  const secure = o.server.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => reject(e instanceof RemoteError ? e : new RemoteError(networkMessage(o.server, e)));
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    };
    const options: https.RequestOptions = { host: o.server.hostname.replace(/^\[|\]$/g, ''), port: o.server.port || (secure ? 443 : 80), method, path, headers, agent: false, timeout: 60_000 };
    if (secure && o.fingerprint !== null) {
      // A self-signed certificate: trusted by its pinned fingerprint, checked before the request is sent.
      options.rejectUnauthorized = false;
      options.checkServerIdentity = () => undefined;
    }
    const req = (secure ? https : http).request(options, onResponse);
    req.on('error', fail);
    req.on('timeout', () => req.destroy(new RemoteError(`the clinic server at ${o.server.origin} did not answer within 60 seconds`)));
    if (secure && o.fingerprint !== null) {
      const pin = o.fingerprint;
      req.on('socket', (socket) => {
        (socket as tls.TLSSocket).once('secureConnect', () => {
          const got = (socket as tls.TLSSocket).getPeerCertificate().fingerprint256?.replace(/:/g, '').toUpperCase() ?? '';
          if (got !== pin) {
            req.destroy(new RemoteError(`the server at ${o.server.origin} presented a certificate whose fingerprint is not the one given with --fingerprint: nothing was sent. If the clinic renewed its certificate, compare the new fingerprint on the server (reservoir serve prints it) before using it.`));
            return;
          }
          req.end(body ?? undefined);
        });
      });
    } else req.end(body ?? undefined);
  });
}

const UNTRUSTED_CERTIFICATE = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

function networkMessage(server: URL, e: Error & { code?: string }): string {
  if (e.code === 'ECONNREFUSED') return `nothing answers at ${server.origin}: is reservoir serve running there, and the port open in the firewall?`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `the host name ${server.hostname} is not known on this network`;
  if (e.code !== undefined && UNTRUSTED_CERTIFICATE.has(e.code)) {
    return `the server at ${server.origin} has a certificate this computer does not trust (self-signed?): give its fingerprint with --fingerprint (reservoir serve prints it)`;
  }
  return `could not reach the clinic server at ${server.origin}: ${e.message}`;
}

/** Makes one contract request as the token; answers its value or throws a RemoteError with the server's message. */
export async function callServer<T>(o: RemoteOptions, name: string, input: unknown): Promise<T> {
  const reply = await exchange(
    o,
    'POST',
    `/api/${encodeURIComponent(name)}`,
    { 'Content-Type': 'application/json', Authorization: `Bearer ${o.secret}`, ...clientHeaders(THIS_VERSION, workstationName()) },
    JSON.stringify(input),
  );
  let parsed: { ok: boolean; value?: T; error?: { message?: string } };
  try {
    parsed = JSON.parse(reply.body.toString('utf8')) as typeof parsed;
  } catch {
    throw new RemoteError(`the server at ${o.server.origin} answered ${reply.status} without a Reservoir answer: is this the clinic server's address?`);
  }
  if (!parsed.ok) throw new RemoteError(`the clinic server refused: ${parsed.error?.message ?? `HTTP ${reply.status}`}`);
  return parsed.value as T;
}

/** A GET of a path the server gave (an export's one-time download). */
export async function download(o: RemoteOptions, path: string): Promise<Buffer> {
  if (!path.startsWith('/exports/')) throw new RemoteError('the clinic server gave an unexpected download address');
  const reply = await exchange(o, 'GET', path, {}, null);
  if (reply.status !== 200) throw new RemoteError(`the export could not be downloaded (HTTP ${reply.status}): ${reply.body.toString('utf8').slice(0, 200)}`);
  return reply.body;
}

/** This computer's host name as the audit trail's workstation (when it is a plain host name). */
function workstationName(): string {
  return os.hostname().split('.')[0] ?? '';
}
