import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { ReservoirServices, SessionSlot } from '../services/app';
import { fail, type AppError } from '../../shared/contract/result';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../shared/csp';
import { chromiumPdfRenderer } from '../services/features/reports/pdf-chromium';
import type { PdfRenderer } from '../services/features/reports/jobs';
import { createServer, isLoopbackHost, printedOrigins, reachableNames, type TlsMaterial } from './tls';
import {
  APP_VERSION_HEADER,
  CONTRACT_HEADER,
  parseAppVersion,
  parseContractVersion,
  parseWorkstationName,
  SERVER_CONTRACT_HEADER,
  THIS_VERSION,
  VERSION_PATH,
  versionMismatch,
  WORKSTATION_HEADER,
} from '../../shared/contract/version';
import { describeWorkstation, withWorkstation } from '../services/audit/workstation';
import { SignInThrottle } from './sign-in-throttle';
import { EVENTS_PATH, serveEvents } from './events';

/** The same Content-Security-Policy as the Electron shell. */
export { CONTENT_SECURITY_POLICY };

/** The browser shell's security headers, on every response. */
const SECURITY_HEADERS = securityHeaders('no-store');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page sends the run's token in this header (tools may use `Authorization: Bearer`). It is not
 * a CORS-safelisted header, so no other site can send it without a preflight, which this server
 * never approves: the token header is also the custom header that marks a request as our page's.
 */
export const TOKEN_HEADER = 'x-reservoir-token';
/**
 * The signed-in session id travels in this header both ways: the server answers it when the session
 * changes (sign-in, sign-out — then empty — or the session ended), the page keeps it per tab and
 * sends it back. No cookies: a cookie for 127.0.0.1 is sent to every port of 127.0.0.1 (RFC 6265).
 */
export const SESSION_HEADER = 'x-reservoir-session';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const MAX_BODY_BYTES = 1024 * 1024;

export interface WebShellOptions {
  services: ReservoirServices;
  /** The built renderer (index.html and assets/). */
  rendererDir: string;
  /** Default 127.0.0.1. Any address that is not loopback needs `tls`. */
  host?: string;
  port?: number;
  /** Fixed only by tests; otherwise a fresh random token per run. */
  token?: string;
  /** Serve HTTPS with this certificate and key (`loadTls`); required off loopback. */
  tls?: TlsMaterial;
  /**
   * `token` (the browser shell, default): every API request needs this run's token, and the
   * address printed carries it. `session` (the clinic server, `reservoir serve`): no token; every API
   * request must send its contract version (`X-Reservoir-Contract`), sign-in is the gate, and the
   * first administrator can only be created from the server computer itself (docs/security.md).
   */
  auth?: 'token' | 'session';
  /** Failed sign-ins and unlocks one address may make in 15 minutes (default 20; tests lower it). */
  signInFailuresPerAddress?: number;
  /**
   * Who prints report PDFs. Default: headless Chromium through playwright-core, printing this shell's
   * own print view. `reservoir serve` inside the installed app passes Electron's printToPDF (the
   * installers carry no playwright-core); `'none'`: PDF is refused in words (CSV, Excel, JSON work).
   */
  pdf?: PdfRenderer | 'none';
}

export interface WebShell {
  /** The address to open, with its token: loopback where the shell listens there. */
  url: string;
  /** Every address the shell is reached at (real interface addresses for 0.0.0.0/::), with the token. */
  urls: string[];
  token: string;
  port: number;
  /** Stops at once: open connections are cut (tests, the browser shell's Ctrl+C). */
  close(): Promise<void>;
  /**
   * Stops cleanly: no new connections, requests in flight answer (new requests on open connections
   * get 503 and the connection closes); after `graceMs` whatever is still open is cut.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Serves the renderer and the contract's handlers. Static files (the app, no patient data) are
 * served to anyone who can reach the port. `POST /api/<name>` needs the per-run token in the
 * `X-Reservoir-Token` header (or `Authorization: Bearer …`), `Content-Type: application/json`,
 * and, when the browser says where it comes from, this server's own origin (scheme, host and port
 * exactly). On top of the token, requests need a signed-in session (`X-Reservoir-Session`),
 * checked by `dispatch` like the Electron shell's. Listens on loopback unless `host` says otherwise,
 * and then only with TLS.
 */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const auth = options.auth ?? 'token';
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.tls === undefined) {
    throw new Error(`${host} is not a loopback address: the browser shell serves patient data and passwords, so off this computer it needs TLS (--tls-cert and --tls-key).`);
  }
  const rendererDir = path.resolve(options.rendererDir);
  const scheme = options.tls ? 'https' : 'http';
  const names = reachableNames(host, options.tls);

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[reservoir web] request failed:', (e as Error).message);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error');
      else res.end();
    });
  }, options.tls);
  let port = 0;
  /** API requests being answered, and whether `stop` was called. */
  let inFlight = 0;
  let stopping = false;
  let drained: (() => void) | null = null;
  const throttle = new SignInThrottle(options.signInFailuresPerAddress);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request: the address is not a valid URL path.');
      return;
    }
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    // Refuse DNS-rebinding: only the names this server actually answers on.
    if (!isAllowedHost(hostHeader, names)) {
      send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request');
      return;
    }

    // Anything that could change something must come from this shell's own page (or from a tool,
    // which sends no Origin): the exact origin, scheme, host and port. A one-time export download
    // is a change too (it is handed out once).
    if ((req.method !== 'GET' && req.method !== 'HEAD') || url.pathname.startsWith('/exports/')) {
      const refusal = crossSiteRefusal(req, scheme, names, port);
      if (refusal !== null) {
        sendJson(res, 403, fail('forbidden', refusal));
        return;
      }
    }

    // A finished report export, once, for the one-time key `reports.export.save` gave (and audited)
    // to a signed-in session: the random key is the capability (a download link sends no headers).
    if (url.pathname.startsWith('/exports/') && req.method === 'GET') {
      const [, , jobId = '', key = ''] = url.pathname.split('/');
      const file = options.services.reports?.takeDownload(jobId, key) ?? null;
      if (file === null) {
        send(res, 404, 'text/plain; charset=utf-8', 'This export is not available: it was already downloaded, cancelled, or the shell restarted.');
        return;
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': file.contentType,
        'Content-Length': String(file.data.length),
        'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      });
      res.end(file.data);
      return;
    }

    // The server's versions, for any client to compare before it signs in (shared/contract/version.ts).
    if (url.pathname === VERSION_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      setVersionHeaders(res);
      sendJson(res, 200, { ok: true, value: THIS_VERSION });
      return;
    }

    // Live updates (server-sent events): the token and a signed-in session, like every request.
    if (url.pathname === EVENTS_PATH && req.method === 'GET') {
      const refusal = crossSiteRefusal(req, scheme, names, port);
      if (refusal !== null) {
        sendJson(res, 403, fail('forbidden', refusal));
        return;
      }
      // The clinic server has no token: its custom contract header keeps other sites out (as on /api/).
      const refused = clientRefusal(req);
      if (refused !== null) {
        sendJson(res, refused.status, refused.body);
        return;
      }
      const id = headerValue(req, SESSION_HEADER);
      serveEvents(req, res, options.services, { id: id !== null && SESSION_ID.test(id) ? id : null }, SECURITY_HEADERS, (status, body) => sendJson(res, status, body));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      setVersionHeaders(res);
      if (stopping) {
        res.setHeader('Connection', 'close');
        sendJson(res, 503, fail('internal', 'The clinic server is stopping: nothing was done. Try again in a minute.'));
        return;
      }
      inFlight += 1;
      try {
        await handleApi(req, res, url);
      } finally {
        inFlight -= 1;
        if (stopping && inFlight === 0) drained?.();
      }
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
      return;
    }
    // The page reads `?token=` itself and keeps it; a wrong one (an old run's address) is said here.
    const queryToken = url.searchParams.get('token');
    if (auth === 'token' && queryToken !== null && !tokensEqual(queryToken, token)) {
      send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized: the token in the address is not this run’s token. Open the address the shell printed when it started.');
      return;
    }
    serveStatic(url.pathname, res, rendererDir);
  }

  /**
   * The checks every API and live-update request passes first. The client's contract version: a
   * different one is refused with what to update. The clinic server needs it on every request (it
   * is also the custom header a cross-site form cannot send); the browser shell's token plays that
   * part there, so tools may leave it out.
   */
  function clientRefusal(req: http.IncomingMessage): { status: number; body: ReturnType<typeof fail> } | null {
    const versionRefusal = clientVersionRefusal(req, auth === 'session');
    if (versionRefusal !== null) return { status: versionRefusal.status, body: fail('version_mismatch', versionRefusal.message) };
    if (auth === 'token' && !hasValidToken(req, token)) {
      return { status: 401, body: fail('unauthorized', 'This request has no valid token: open the address printed by `npm run web`, with its token (tools send it as `Authorization: Bearer …`).') };
    }
    return null;
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') {
      sendJson(res, 405, fail('invalid_input', 'Requests must be sent with POST.'));
      return;
    }
    const refused = clientRefusal(req);
    if (refused !== null) {
      sendJson(res, refused.status, refused.body);
      return;
    }
    const hostName = parseWorkstationName(headerValue(req, WORKSTATION_HEADER.toLowerCase()));
    if (hostName === 'invalid') {
      sendJson(res, 400, fail('invalid_input', `The ${WORKSTATION_HEADER} header must be the workstation's host name: letters, digits, dots, hyphens and underscores, at most 63 characters.`));
      return;
    }
    if (!isJson(req.headers['content-type'])) {
      sendJson(res, 415, fail('invalid_input', `Requests must be sent as Content-Type: application/json, not ${req.headers['content-type'] ?? 'without a Content-Type'}.`));
      return;
    }
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice('/api/'.length));
    } catch {
      sendJson(res, 400, fail('unknown_request', 'The request name in the address is not valid percent-encoding (for example /api/patients.list).'));
      return;
    }
    const body = await readBody(req);
    if (!body.ok) {
      res.setHeader('Connection', 'close');
      sendJson(res, body.status, { ok: false, error: body.error });
      return;
    }
    // The clinic server: the first administrator is made on the server computer itself, never by
    // whoever on the network reaches a new server first.
    if (auth === 'session' && name === 'session.setup' && !isLocalClient(req)) {
      sendJson(res, 200, fail('forbidden', 'The first administrator of a clinic server is created on the server computer itself: open the console there (https://127.0.0.1 and the port it printed), then sign in here.'));
      return;
    }
    // Many failed sign-ins from one machine: refused without trying, for a while (sign-in-throttle.ts).
    const address = req.socket.remoteAddress ?? '';
    const isPasswordAttempt = name === 'session.login' || name === 'session.unlock';
    if (isPasswordAttempt) {
      const waitMs = throttle.blockedFor(address);
      if (waitMs !== null) {
        sendJson(res, 429, fail('unauthorized', `Too many failed sign-ins from this workstation: try again in ${Math.max(1, Math.ceil(waitMs / 60_000))} minutes. Nothing was tried.`));
        return;
      }
    }
    // The clinic server: a personal access token (`Authorization: Bearer rsv_…`, the command line on
    // another machine) instead of a session. Refused tokens count like failed sign-ins.
    const bearer = auth === 'session' ? bearerSecret(req) : null;
    if (bearer !== null) {
      const waitMs = throttle.blockedFor(address);
      if (waitMs !== null) {
        sendJson(res, 429, fail('unauthorized', `Too many refused access tokens from this machine: try again in ${Math.max(1, Math.ceil(waitMs / 60_000))} minutes. Nothing was tried.`));
        return;
      }
    }
    const before = bearer === null ? headerValue(req, SESSION_HEADER) : null;
    const slot: SessionSlot = bearer !== null ? { id: null, bearer } : { id: before !== null && SESSION_ID.test(before) ? before : null };
    // Every audit entry this request writes names the workstation (audit/workstation.ts).
    const workstation = describeWorkstation(req.socket.remoteAddress, hostName);
    const result = await withWorkstation(workstation, () => options.services.dispatch(name, body.value, slot));
    if (isPasswordAttempt && !result.ok && (result.error.code === 'unauthorized' || result.error.code === 'account_locked')) throttle.recordFailure(address);
    if (bearer !== null) {
      if (!result.ok && result.error.code === 'unauthorized') {
        throttle.recordFailure(address);
        sendJson(res, 401, result);
        return;
      }
      sendJson(res, 200, result);
      return;
    }
    if (stopping) res.setHeader('Connection', 'close');
    // Signed in, out, or the session ended (role change, deactivation): the page follows the slot.
    if (slot.id !== before) res.setHeader(SESSION_HEADER, slot.id ?? '');
    sendJson(res, 200, result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const origins = printedOrigins(host, port, options.tls !== undefined);
  // Report PDFs: headless Chromium prints this shell's own print view (needs the built renderer).
  if (typeof options.pdf === 'function') options.services.reports?.configure({ pdf: options.pdf });
  else if (options.pdf === undefined && fs.existsSync(path.join(rendererDir, 'index.html'))) {
    options.services.reports?.configure({ pdf: chromiumPdfRenderer({ origin: origins[0]!, token, ...(options.tls ? { spkiSha256: options.tls.spkiSha256 } : {}) }) });
  }
  const urls = origins.map((o) => (auth === 'token' ? `${o}/?token=${token}` : `${o}/`));
  return {
    url: urls[0]!,
    urls,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    stop: async (graceMs = 30_000) => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
        ]);
        clearTimeout(timer);
      }
      // Answered connections kept alive by a client are closed now; anything left after the grace is cut.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Every API answer says the server's versions. */
function setVersionHeaders(res: http.ServerResponse): void {
  res.setHeader(APP_VERSION_HEADER, THIS_VERSION.app);
  res.setHeader(SERVER_CONTRACT_HEADER, String(THIS_VERSION.contract));
}

/**
 * Why a request's contract version is refused, with the HTTP status, or null. A missing header is
 * refused only where it is `required` (the clinic server).
 */
function clientVersionRefusal(req: http.IncomingMessage, required: boolean): { status: 400 | 409 | 428; message: string } | null {
  const sent = headerValue(req, CONTRACT_HEADER.toLowerCase());
  if (sent === null) {
    if (!required) return null;
    return { status: 428, message: `This client did not say which Reservoir contract it speaks (the ${CONTRACT_HEADER} header): the clinic server runs Reservoir ${THIS_VERSION.app}. Use Reservoir ${THIS_VERSION.app} on this workstation.` };
  }
  const contract = parseContractVersion(sent);
  if (contract === null) return { status: 400, message: `The ${CONTRACT_HEADER} header must be a whole number (the client's contract version), not ${JSON.stringify(sent.slice(0, 20))}.` };
  const app = parseAppVersion(headerValue(req, APP_VERSION_HEADER.toLowerCase())) ?? 'an unknown version';
  const mismatch = versionMismatch({ app, contract }, THIS_VERSION);
  return mismatch === null ? null : { status: 409, message: mismatch };
}

/** A client on the server computer itself: a loopback address, or the address it connected to. */
export function isLocalClient(req: Pick<http.IncomingMessage, 'socket'>): boolean {
  const remote = req.socket.remoteAddress ?? '';
  return isLoopbackHost(remote) || (remote !== '' && remote === req.socket.localAddress);
}

/** The Host header names one of the names this server is reached at (any port). */
function isAllowedHost(hostHeader: string, names: string[]): boolean {
  const name = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return names.includes(name);
}

/**
 * Why a request that could change something is refused as cross-site, or null. `Origin`, when
 * sent, must be exactly one of this server's origins (scheme, host and port: a page on another
 * port of 127.0.0.1 is another site); `Sec-Fetch-Site`, when sent, must be `same-origin` or `none`.
 */
function crossSiteRefusal(req: http.IncomingMessage, scheme: string, names: string[], port: number): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, scheme, names, port)) {
    return `Requests from another site are refused: ${origin.slice(0, 100)} is not this console's address.`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `Requests from another site are refused (Sec-Fetch-Site: ${site.slice(0, 20)}).`;
  }
  return null;
}

function isOwnOrigin(origin: string, scheme: string, names: string[], port: number): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.origin !== origin.toLowerCase() || u.protocol !== `${scheme}:`) return false;
  const effectivePort = u.port === '' ? (scheme === 'https' ? 443 : 80) : Number(u.port);
  return effectivePort === port && names.includes(u.hostname.replace(/^\[|\]$/g, ''));
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function headerValue(req: http.IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** The token in `X-Reservoir-Token` or `Authorization: Bearer`; never from a cookie. */
function hasValidToken(req: http.IncomingMessage, token: string): boolean {
  const header = headerValue(req, TOKEN_HEADER);
  if (header !== null && tokensEqual(header, token)) return true;
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') === true && tokensEqual(auth.slice(7), token);
}

/** A personal access token's secret from `Authorization: Bearer …`, or null (the clinic server only). */
function bearerSecret(req: http.IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth === undefined || !auth.startsWith('Bearer ')) return null;
  return auth.slice(7).trim();
}

/** The parsed JSON body, or an error with the HTTP status to answer it with. */
type Body = { ok: true; value: unknown } | { ok: false; error: AppError; status: 400 | 413 };

function readBody(req: http.IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: Body) => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop reading; the answer is sent with `Connection: close`, which drops the rest.
        req.removeAllListeners('data');
        req.pause();
        finish({ ...fail('invalid_input', 'The request is larger than 1 MiB.'), status: 413 });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw.trim() === '') return finish({ ok: true, value: {} });
      try {
        finish({ ok: true, value: JSON.parse(raw) as unknown });
      } catch {
        finish({ ...fail('invalid_input', 'The request body is not valid JSON.'), status: 400 });
      }
    });
    req.on('error', () => finish({ ...fail('invalid_input', 'The request could not be read.'), status: 400 }));
  });
}

function serveStatic(pathname: string, res: http.ServerResponse, rendererDir: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad path: the address is not valid percent-encoding.');
    return;
  }
  // A NUL byte would make the file system call throw: no file of the app has one in its name.
  if (decoded.includes('\0')) {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad path: the address contains a NUL character (%00).');
    return;
  }
  const relative = path.normalize(decoded).replace(/^([/\\])+/, '');
  let file = path.join(rendererDir, relative);
  if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
    send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    return;
  }
  // Single-page app: paths without an extension are the app itself.
  if (relative === '' || path.extname(relative) === '') file = path.join(rendererDir, 'index.html');
  fs.readFile(file, (err, data) => {
    if (err) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    send(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', data);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
