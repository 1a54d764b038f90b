/**
 * The browser shell for the chart benchmark: the same services and web server as `npm run web`,
 * with a chosen renderer folder (so a benchmark is not disturbed by a rebuild of dist/renderer, and
 * two builds can be compared), and every `patients.get` timed on the main side. Each one prints a
 * line `{"request":"patients.get","ms":…,"bytes":…}` (bytes: the JSON answer) after the answer is
 * ready; the address comes first, as `Reservoir is running at …`.
 *
 * Usage: node --import tsx scripts/bench/serve-record.ts DATABASE_FILE RENDERER_DIR
 */
import path from 'node:path';
import { createServices } from '../../electron/services/app';
import { startWebShell } from '../../electron/web/server';

const [file, rendererDir] = process.argv.slice(2);
if (!file || !rendererDir) {
  console.error('usage: serve-record.ts DATABASE_FILE RENDERER_DIR');
  process.exit(2);
}

async function main(dbFile: string, renderer: string): Promise<void> {
  const opened = createServices({ databasePath: path.resolve(dbFile), shell: 'browser' });
  if (!opened.ok) throw new Error(opened.error.message);
  const services = opened.value;
  const dispatch = services.dispatch.bind(services);
  const timed: typeof services = {
    ...services,
    dispatch: async (...args: Parameters<typeof dispatch>) => {
      const started = process.hrtime.bigint();
      const answer = await dispatch(...args);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (args[0] === 'patients.get') {
        // Measured after the timing: what the shell then serialises and sends.
        const error = answer.ok ? null : answer.error.code;
        console.log(JSON.stringify({ request: 'patients.get', ms, bytes: Buffer.byteLength(JSON.stringify(answer)), error }));
      }
      return answer;
    },
  };
  const shell = await startWebShell({ services: timed, rendererDir: path.resolve(renderer) });
  console.log(`Reservoir is running at ${shell.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await shell.close();
  services.close();
}

main(file, rendererDir).catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
