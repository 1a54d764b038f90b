import path from 'node:path';
import { parseArgs } from 'node:util';
import { startWebShell } from './server';
import { isLoopbackHost, loadTls, type TlsMaterial } from './tls';
import { seedDemoClinic } from '../services/demo';
import { restrictUmask } from '../services/store/private-files';
import { builtRendererDir } from '../services/app-paths';
import { openServerServices } from './open';

const HELP = `Usage: npm run web -- [--port N] [--db FILE] [--key-file KEYFILE] [--demo] [--host ADDRESS --tls-cert FILE --tls-key FILE]

Starts the Reservoir browser shell on this computer only (127.0.0.1) and prints its address,
which carries a secret token for this run. Open that address in a browser.

  --port N        port to listen on (default: a free port)
  --db FILE       database file (default: $RESERVOIR_DB, else ./reservoir.db)
  --key-file KEYFILE
                  the database's key file (default: $RESERVOIR_KEY_FILE, else the key kept for
                  FILE in the Reservoir keys folder of your configuration folder); a new
                  database is encrypted with a new key kept there
  --plain         create a new database unencrypted (tests and measurements only)
  --demo          load the demo clinic when the database is empty
  --host ADDRESS  listen on another address (default 127.0.0.1). Any address that is not loopback
                  (127.x, ::1, localhost), 0.0.0.0 included, needs --tls-cert and --tls-key: the
                  console serves patient data and passwords, never as plain HTTP on a network
  --tls-cert FILE the server's certificate (PEM, with its chain) for HTTPS
  --tls-key FILE  its private key (PEM, not encrypted)
  --lock-after-seconds N
                  lock the console after N seconds without activity instead of the clinic's
                  setting (for end-to-end tests; a shorter lock only)
  --help          this text`;

export async function main(argv: string[]): Promise<number> {
  restrictUmask(); // every file and folder written from here on is owner-only (docs/security.md)
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        'key-file': { type: 'string' },
        plain: { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        host: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'lock-after-seconds': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, not ${values.port}`);
    return 2;
  }
  const lockAfter = values['lock-after-seconds'] === undefined ? undefined : Number(values['lock-after-seconds']);
  if (lockAfter !== undefined && (!Number.isInteger(lockAfter) || lockAfter < 1 || lockAfter > 600)) {
    console.error(`--lock-after-seconds must be a whole number from 1 to 600, not ${values['lock-after-seconds']}`);
    return 2;
  }
  const host = values.host ?? '127.0.0.1';
  const tlsOptions = checkTlsOptions(host, values['tls-cert'], values['tls-key']);
  if (!tlsOptions.ok) {
    console.error(tlsOptions.message);
    return 2;
  }
  const databasePath = path.resolve(values.db ?? process.env.RESERVOIR_DB ?? 'reservoir.db');
  const keyFile = values['key-file'] ?? (process.env.RESERVOIR_KEY_FILE || undefined);
  const services = openServerServices({
    databasePath,
    keyFile,
    plain: values.plain,
    ...(values.demo ? { seed: seedDemoClinic } : {}),
    ...(lockAfter === undefined ? {} : { lockAfterMs: lockAfter * 1000 }),
    note: (text) => console.error(text),
  });
  if (!services.ok) {
    console.error(services.message);
    return 1;
  }

  const rendererDir = builtRendererDir();
  const shell = await startWebShell({ services: services.value, rendererDir, host, port, ...(tlsOptions.tls ? { tls: tlsOptions.tls } : {}) });
  console.log(`Reservoir is running at ${shell.url}`);
  for (const other of shell.urls.slice(1)) console.log(`  also at ${other}`);
  console.error(`Database: ${databasePath}. Press Ctrl+C to stop.`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await shell.close();
  services.value.close();
  return 0;
}

/** `--tls-cert`/`--tls-key` read and checked; off loopback they are required. */
function checkTlsOptions(host: string, certFile: string | undefined, keyFile: string | undefined): { ok: true; tls: TlsMaterial | null } | { ok: false; message: string } {
  if ((certFile === undefined) !== (keyFile === undefined)) {
    return { ok: false, message: `--tls-cert and --tls-key go together: give both files (the certificate and its private key), not only ${certFile === undefined ? '--tls-key' : '--tls-cert'}.` };
  }
  if (certFile === undefined || keyFile === undefined) {
    if (isLoopbackHost(host)) return { ok: true, tls: null };
    return {
      ok: false,
      message: `Refused: --host ${host} is not a loopback address, and the console would send patient data and passwords over the network as plain HTTP. Give --tls-cert FILE and --tls-key FILE (HTTPS), or leave out --host to serve this computer only.`,
    };
  }
  const tls = loadTls(certFile, keyFile);
  return tls.ok ? { ok: true, tls: tls.value } : { ok: false, message: tls.error.message };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`Reservoir could not start: ${(e as Error).message}`);
    process.exit(1);
  },
);
