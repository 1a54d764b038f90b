/**
 * `reservoir serve`: the clinic server. The browser shell's server (`electron/web/server.ts`) in its
 * `session` mode — no per-run token, sign-in is the gate — on one database, for every workstation
 * and browser of the clinic network: HTTPS off loopback (the clinic's certificate, or a self-signed
 * one made on first start and kept beside the database), daily backups, the background integrity
 * check, and a clean stop on SIGTERM (requests in flight finish; docs/deployment.md).
 */
import { builtRendererDir } from '../services/app-paths';
import fs from 'node:fs';
import path from 'node:path';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { openServerServices } from '../web/open';
import { startWebShell } from '../web/server';
import { isLoopbackHost } from '../web/tls';
import { checkPrivateKeyFile, serverCertificate, type ServerCertificate } from '../web/certificate';
import { keyFileFor } from '../services/store/keys';
import { restrictUmask } from '../services/store/private-files';
import { APP_VERSION, CONTRACT_VERSION } from '../../shared/contract/version';
import { choosePdfPrinter } from './pdf-printer';
import { assertNever } from '../../shared/contract/result';
import type { PdfRenderer } from '../services/features/reports/jobs';

/**
 * Who prints the server's report PDFs (cli/pdf-printer.ts decides, as for `reservoir report`): inside
 * the installed app (`Reservoir serve …`, Electron) its own printToPDF window that main.ts hands over
 * in `io.pdf`; under Node headless Chromium through playwright-core (the web server's default); inside
 * Electron without a print window nothing (PDF refused in words), never playwright-core, which the
 * installers do not carry.
 */
export function servePdfProducer(versions: { readonly electron?: string | undefined }, ioPdf: PdfRenderer | undefined): { pdf: PdfRenderer | 'none' | undefined; note: string | null } {
  const choice = choosePdfPrinter(versions, ioPdf);
  switch (choice.kind) {
    case 'electron':
      return { pdf: choice.print, note: null };
    case 'chromium':
      return { pdf: undefined, note: null };
    case 'unavailable':
      return { pdf: 'none', note: `Note: report PDFs are not available from this server: ${choice.message}` };
  }
  return assertNever(choice, 'PDF printer');
}

export const DEFAULT_SERVE_PORT = 8443;
/** How long requests in flight may take to finish after SIGTERM before their connections are cut. */
export const STOP_GRACE_MS = 30_000;

export const SERVE_HELP = `Usage: reservoir serve --db FILE [--host ADDRESS] [--port N] [--tls-cert FILE --tls-key FILE] [--key-file KEYFILE]

The clinic server: the Reservoir console and its requests for every workstation and browser of the
clinic network, on one database. Everyone signs in; there is no token in the address.

  --db FILE         the clinic database (a new one is created, encrypted, when FILE does not exist)
  --host ADDRESS    where to listen (default 127.0.0.1: this computer only). 0.0.0.0 (or ::) for
                    every network interface. Off loopback the server speaks HTTPS only.
  --port N          the port (default ${DEFAULT_SERVE_PORT}; 0: any free port)
  --tls-cert FILE   the server's certificate (PEM, with its chain), e.g. from the clinic's own CA
  --tls-key FILE    its private key (PEM, not encrypted, readable by this account only: chmod 600)
                    Without them, off loopback, a self-signed certificate is made on first start
                    and kept beside the database (FILE.tls-cert.pem, FILE.tls-key.pem, mode 0600);
                    its SHA-256 fingerprint is printed for the workstations to pin.
  --key-file KEYFILE the database's key file (default: the key kept for FILE on this computer)
  --lock-after-seconds N
                    lock a console after N seconds without activity instead of the clinic's
                    setting (end-to-end tests; a shorter lock only)

Stops cleanly on SIGTERM or Ctrl+C: requests in flight finish (up to ${STOP_GRACE_MS / 1000} s), the database is closed.
Exit status: 0 stopped cleanly, 1 refused (database, key or certificate problem, port in use), 2 bad usage.
Set-up for clinic IT (a service, firewall, certificates, backups, upgrades): docs/deployment.md.
`;

export interface ServeOptions {
  /** Resolves when the server should stop (default: SIGTERM or SIGINT). */
  stop?: Promise<unknown>;
  /** Called once the server listens (tests). */
  onListening?: (info: { url: string; urls: string[]; port: number; certificate: ServerCertificate | null }) => void;
}

/** SIGTERM or SIGINT, listened for from the start, so a stop that comes while the server starts is not lost. */
function signalled(): { received: Promise<string>; dispose(): void } {
  let on: (signal: string) => void = () => {};
  const received = new Promise<string>((resolve) => {
    on = (signal: string) => resolve(signal);
  });
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    received,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

export async function runServe(args: string[], io: CliIo, options: ServeOptions = {}): Promise<ExitCode> {
  restrictUmask(); // every file written from here on is owner-only (docs/security.md)
  const parsed = parseCommand(args, { db: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'lock-after-seconds': { type: 'string' } });
  if (parsed.help) {
    io.out(SERVE_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  const databasePath = path.resolve(stringOption(parsed, 'db', true));
  const host = stringOption(parsed, 'host') ?? '127.0.0.1';
  const portText = stringOption(parsed, 'port');
  const port = portText === undefined ? DEFAULT_SERVE_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? '0') || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not ${portText}`);
  const lockText = stringOption(parsed, 'lock-after-seconds');
  const lockAfter = lockText === undefined ? undefined : Number(lockText);
  if (lockAfter !== undefined && (!Number.isInteger(lockAfter) || lockAfter < 1 || lockAfter > 600)) throw new UsageError(`--lock-after-seconds must be a whole number from 1 to 600, not ${lockText}`);
  const certFile = stringOption(parsed, 'tls-cert');
  const keyFile = stringOption(parsed, 'tls-key');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError(`--tls-cert and --tls-key go together: give both files (the certificate and its private key), not only ${certFile === undefined ? '--tls-key' : '--tls-cert'}`);
  }
  const signals = options.stop === undefined ? signalled() : null;
  try {
    return await serveUntilStopped({ databasePath, host, port, certFile, keyFile, lockAfter, keys: parsed.keys }, io, options, options.stop ?? signals!.received);
  } finally {
    signals?.dispose();
  }
}

interface ServeSettings {
  databasePath: string;
  host: string;
  port: number;
  certFile: string | undefined;
  keyFile: string | undefined;
  lockAfter: number | undefined;
  keys: { keyFile?: string; plain: boolean };
}

async function serveUntilStopped(settings: ServeSettings, io: CliIo, options: ServeOptions, stop: Promise<unknown>): Promise<ExitCode> {
  const { databasePath, host, port, certFile, keyFile, lockAfter } = settings;
  if (fs.existsSync(databasePath) && fs.statSync(databasePath).isDirectory()) {
    io.err(line(`reservoir serve: ${databasePath} is a folder, not a database file.`));
    return EXIT.refused;
  }

  // HTTPS off loopback, always; on loopback only when a certificate is given.
  let certificate: ServerCertificate | null = null;
  if (certFile !== undefined || !isLoopbackHost(host)) {
    const made = await serverCertificate({ databasePath, host, ...(certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : {}), now: io.now });
    if (!made.ok) {
      io.err(line(`reservoir serve: ${made.error.message}`));
      return EXIT.refused;
    }
    certificate = made.value;
  }

  // The database's key file too: readable by others, it is refused, not quietly tightened as the
  // desktop commands do — on a server someone may already have copied it (docs/security.md).
  const databaseKeyFile = settings.keys.keyFile ?? ((io.env ?? process.env).RESERVOIR_KEY_FILE || undefined);
  const keyFileInUse = databaseKeyFile !== undefined ? path.resolve(databaseKeyFile) : keyFileFor(databasePath);
  if (fs.existsSync(keyFileInUse)) {
    const privateKey = checkPrivateKeyFile(keyFileInUse, '--key-file');
    if (!privateKey.ok) {
      io.err(line(`reservoir serve: ${privateKey.error.message.replace('the private key', "the database's key file")} If others may have read it, treat the database's key as exposed.`));
      return EXIT.refused;
    }
  }
  const services = openServerServices({
    databasePath,
    keyFile: databaseKeyFile,
    plain: settings.keys.plain,
    ...(lockAfter === undefined ? {} : { lockAfterMs: lockAfter * 1000 }),
    note: (text) => io.err(line(text)),
  });
  if (!services.ok) {
    io.err(line(`reservoir serve: ${services.message}`));
    return EXIT.refused;
  }

  const rendererDir = builtRendererDir();
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) io.err(line(`Note: the console is not built (${rendererDir}): browsers will get "Not found". Run npm run build.`));
  let shell: Awaited<ReturnType<typeof startWebShell>>;
  try {
    const producer = servePdfProducer(process.versions, io.pdf);
    if (producer.note !== null) io.err(line(producer.note));
    shell = await startWebShell({ services: services.value, rendererDir, host, port, auth: 'session', ...(certificate ? { tls: certificate.tls } : {}), ...(producer.pdf === undefined ? {} : { pdf: producer.pdf }) });
  } catch (e) {
    services.value.close();
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${port} is in use by another program (another Reservoir server?)` : code === 'EACCES' ? `port ${port} needs administrator rights (use 1024 or above)` : code === 'EADDRNOTAVAIL' ? `${host} is not an address of this computer` : (e as Error).message;
    io.err(line(`reservoir serve: cannot listen on ${host}:${port}: ${why}.`));
    return EXIT.refused;
  }

  io.out(line(`Reservoir ${APP_VERSION} (contract ${CONTRACT_VERSION}) clinic server listening at ${shell.url}`));
  for (const other of shell.urls.slice(1)) io.out(line(`  also at ${other}`));
  if (certificate !== null) {
    io.out(line(`Certificate: ${certificate.certFile}${certificate.created ? ' (self-signed, made now)' : ''}`));
    io.out(line(`  SHA-256 fingerprint: ${certificate.fingerprint}`));
    io.out(line(`  public key pin (SPKI SHA-256, base64): ${certificate.tls.spkiSha256}`));
    if (certificate.created) io.out(line('  Check this fingerprint on every workstation before trusting the server (docs/deployment.md).'));
  }
  io.out(line(`Database: ${databasePath}`));
  io.err(line('Stop with SIGTERM (systemctl stop) or Ctrl+C.'));
  options.onListening?.({ url: shell.url, urls: shell.urls, port: shell.port, certificate });

  const reason = await stop;
  io.err(line(`Stopping (${String(reason)}): finishing the requests in flight…`));
  await shell.stop(STOP_GRACE_MS);
  services.value.close();
  io.err(line('Stopped: the database is closed.'));
  return EXIT.ok;
}
