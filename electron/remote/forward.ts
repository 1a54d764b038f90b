/**
 * The connected workstation's forwarding client (issue 14, item 2; docs/architecture.md, "The
 * forwarding seam"). The Electron main process hands each contract request the renderer makes to
 * this client, which sends it to the clinic server (`reservoir serve`) as `POST /api/<name>` over
 * HTTPS, trusting only the certificate whose SHA-256 fingerprint was pinned when the workstation
 * was connected. The pin is checked on the finished TLS handshake, before one byte of the request
 * (a password, patient data, the session id) is written: any other certificate — a new one, a
 * machine posing as the server — is refused and nothing is sent. The session id the server gives
 * at sign-in is kept in the window's session slot (main-process memory), never on disk.
 *
 * Plain Node (no Electron): tests run it against a real `reservoir serve` child process.
 */
import http from 'node:http';
import os from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import { fail, type Result } from '../../shared/contract/result';
import { clientHeaders, readServerVersion, THIS_VERSION, VERSION_PATH, type PeerVersion } from '../../shared/contract/version';

/** The header that carries the signed-in session id both ways (electron/web/server.ts). */
export const SESSION_HEADER = 'x-reservoir-session';
/** A request that takes longer than this is given up (the server then counts as unreachable). */
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface SessionSlot {
  id: string | null;
}

export interface RemoteOptions {
  /** The clinic server, `https://host:port` (a path is ignored). */
  url: string;
  /** The certificate's SHA-256 fingerprint, `AA:BB:…`. */
  fingerprint: string;
  /** This workstation's host name for the audit trail (default: os.hostname()). */
  workstation?: string;
  /** This client's versions (tests give another to see the refusal). */
  version?: PeerVersion;
  timeoutMs?: number;
}

/** The plain message when the server does not answer (the renderer shows it in its banner). */
export function unreachableMessage(origin: string): string {
  return `The clinic server at ${origin} cannot be reached. Retrying… Nothing you typed is lost.`;
}

/** Why a connection was refused: the pin did not match. */
export function pinRefusedMessage(origin: string, seen: string, pinned: string): string {
  return `The clinic server at ${origin} presented a certificate this workstation does not trust (fingerprint ${seen}, expected ${pinned}); nothing was sent. If the clinic's IT renewed the server's certificate, an administrator of this workstation connects it again with the new fingerprint; otherwise tell IT at once.`;
}

type Raw = { kind: 'answer'; status: number; headers: http.IncomingHttpHeaders; body: Buffer } | { kind: 'refused'; error: { ok: false; error: { code: 'forbidden' | 'unreachable'; message: string } } };

/** Opens a TLS connection and checks the certificate's fingerprint; the socket is only handed out when it matches. */
export function pinnedSocket(host: string, port: number, fingerprint: string, origin: string, timeoutMs: number): Promise<{ ok: true; socket: tls.TLSSocket } | { ok: false; code: 'forbidden' | 'unreachable'; message: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: { ok: true; socket: tls.TLSSocket } | { ok: false; code: 'forbidden' | 'unreachable'; message: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    // The chain is not checked against a CA (the server's certificate is usually self-signed): the
    // pinned fingerprint is the whole trust decision, made below before anything is written.
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], ...(net.isIP(host) === 0 ? { servername: host } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      done({ ok: false, code: 'unreachable', message: unreachableMessage(origin) });
    }, timeoutMs);
    socket.once('secureConnect', () => {
      const seen = socket.getPeerCertificate()?.fingerprint256 ?? '';
      if (seen.toUpperCase() !== fingerprint.toUpperCase()) {
        socket.destroy();
        done({ ok: false, code: 'forbidden', message: pinRefusedMessage(origin, seen || 'none', fingerprint) });
        return;
      }
      done({ ok: true, socket });
    });
    socket.once('error', () => done({ ok: false, code: 'unreachable', message: unreachableMessage(origin) }));
  });
}

export interface RemoteClient {
  /** `https://host:port` */
  origin: string;
  /** One contract request, answered as the server answers it (or `unreachable`, `forbidden` for a wrong pin, `version_mismatch`). */
  dispatch(name: unknown, input: unknown, session: SessionSlot): Promise<Result<unknown>>;
  /** The server's versions (`GET /api/version`), refused when this workstation cannot talk to it. */
  checkVersion(): Promise<Result<PeerVersion>>;
  /** A finished export's bytes, once, from the one-time address `reports.export.save` answered (`/exports/<job>/<key>/<name>`). */
  download(path: string, session: SessionSlot): Promise<Result<Buffer>>;
}

/** The one-time export address the clinic server hands out (electron/services/features/reports/jobs.ts). */
const EXPORT_DOWNLOAD_PATH = /^\/exports\/[a-f0-9]{32}\/[a-f0-9]{32}\/[^/?#]+$/;

export function createRemoteClient(options: RemoteOptions): RemoteClient {
  const url = new URL(options.url);
  if (url.protocol !== 'https:') throw new Error(`The clinic server address must be https://, not ${url.protocol}`);
  const origin = url.origin;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 443 : Number(url.port);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const version = options.version ?? THIS_VERSION;
  const workstation = options.workstation ?? os.hostname().split('.')[0] ?? '';

  async function send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string | null): Promise<Raw> {
    const connected = await pinnedSocket(host, port, options.fingerprint, origin, timeoutMs);
    if (!connected.ok) return { kind: 'refused', error: { ok: false, error: { code: connected.code, message: connected.message } } };
    return new Promise((resolve) => {
      const req = http.request(
        {
          method,
          path,
          host: url.host,
          createConnection: () => connected.socket,
          headers: { Host: url.host, ...headers, ...(body === null ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }), Connection: 'close' },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_ANSWER_BYTES) {
              req.destroy();
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => resolve({ kind: 'answer', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', () => resolve({ kind: 'refused', error: { ok: false, error: { code: 'unreachable', message: unreachableMessage(origin) } } }));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve({ kind: 'refused', error: { ok: false, error: { code: 'unreachable', message: unreachableMessage(origin) } } }));
      req.end(body ?? undefined);
    });
  }

  return {
    origin,
    async dispatch(name, input, session) {
      if (typeof name !== 'string' || !/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/.test(name)) return fail('unknown_request', 'There is no such request.');
      const headers: Record<string, string> = { ...clientHeaders(version, workstation) };
      if (session.id !== null) headers[SESSION_HEADER] = session.id;
      let body: string;
      try {
        body = JSON.stringify(input ?? {});
      } catch {
        return fail('invalid_input', 'This request could not be sent: its input is not plain data.');
      }
      const raw = await send('POST', `/api/${encodeURIComponent(name)}`, headers, body);
      if (raw.kind === 'refused') return raw.error as Result<unknown>;
      const changed = raw.headers[SESSION_HEADER];
      if (typeof changed === 'string') session.id = changed === '' ? null : changed;
      let answer: Result<unknown>;
      try {
        answer = JSON.parse(raw.body.toString('utf8')) as Result<unknown>;
      } catch {
        return fail('unreachable', `The clinic server at ${origin} answered with something that is not Reservoir's (HTTP ${raw.status}). Retrying… Nothing you typed is lost.`);
      }
      if (typeof answer !== 'object' || answer === null || typeof (answer as { ok?: unknown }).ok !== 'boolean') {
        return fail('unreachable', `The clinic server at ${origin} answered with something that is not Reservoir's (HTTP ${raw.status}). Retrying… Nothing you typed is lost.`);
      }
      return answer;
    },
    async checkVersion() {
      const raw = await send('GET', VERSION_PATH, clientHeaders(version, workstation), null);
      if (raw.kind === 'refused') return raw.error as Result<never>;
      let answer: unknown;
      try {
        answer = JSON.parse(raw.body.toString('utf8'));
      } catch {
        answer = null;
      }
      return readServerVersion(answer, version);
    },
    async download(downloadPath, session) {
      // Only the one-time export address `reports.export.save` answers (electron/web/server.ts).
      if (!EXPORT_DOWNLOAD_PATH.test(downloadPath)) return fail('invalid_input', 'The clinic server answered an export address this workstation does not fetch.');
      const headers: Record<string, string> = { ...clientHeaders(version, workstation) };
      if (session.id !== null) headers[SESSION_HEADER] = session.id;
      const raw = await send('GET', downloadPath, headers, null);
      if (raw.kind === 'refused') return raw.error as Result<never>;
      if (raw.status !== 200) return fail('not_found', `The clinic server no longer has this export (HTTP ${raw.status}): it was already saved, cancelled, or the server restarted. Export it again.`);
      return { ok: true, value: raw.body };
    },
  };
}

/**
 * What a person is shown before connecting: the fingerprint of the certificate the server at `url`
 * presents right now, to compare with the one the clinic's IT gave them. Nothing is sent but the
 * TLS handshake.
 */
export function probeServer(url: string, timeoutMs = 10_000): Promise<Result<{ origin: string; fingerprint: string }>> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve(fail('invalid_input', `"${url.slice(0, 80)}" is not an address (for example https://reservoir.clinic.local:8443).`, 'url'));
  }
  if (parsed.protocol !== 'https:') return Promise.resolve(fail('invalid_input', 'The clinic server address must start with https://.', 'url'));
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = parsed.port === '' ? 443 : Number(parsed.port);
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) === 0 ? { servername: host } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(fail('unreachable', unreachableMessage(parsed.origin)));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const fingerprint = socket.getPeerCertificate()?.fingerprint256 ?? '';
      socket.end();
      resolve(fingerprint ? { ok: true, value: { origin: parsed.origin, fingerprint } } : fail('unreachable', `The clinic server at ${parsed.origin} presented no certificate.`));
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(fail('unreachable', unreachableMessage(parsed.origin)));
    });
  });
}
