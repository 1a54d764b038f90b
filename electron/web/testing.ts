/**
 * Tests of the web server: an in-process server (the browser shell, or the clinic server's
 * `auth: 'session'` mode) on a fresh database with a stand-in console page, and its clean-up. For
 * the real `reservoir serve` process see electron/services/testing/clinic-server.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createServices, type ReservoirServices, type ServicesOptions } from '../services/app';
import { tempDir } from '../services/testing/temp';
import { TEST_COST } from '../services/accounts/passwords';
import { startWebShell, type WebShell, type WebShellOptions } from './server';

export interface TestWebServer {
  tmp: ReturnType<typeof tempDir>;
  services: ReservoirServices;
  shell: WebShell;
  /** Stops the server, closes the database and removes the folder. */
  close(): Promise<void>;
}

export async function startTestWebServer(options: { shell?: Omit<WebShellOptions, 'services' | 'rendererDir'>; services?: Partial<Omit<ServicesOptions, 'databasePath'>> } = {}): Promise<TestWebServer> {
  const tmp = tempDir();
  const renderer = tmp.file('renderer');
  fs.mkdirSync(renderer, { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Reservoir</title>');
  const r = createServices({ shell: 'browser', passwordCost: TEST_COST, ...options.services, databasePath: tmp.file('clinic.db') });
  if (!r.ok) throw new Error(r.error.message);
  const services = r.value;
  const shell = await startWebShell({ ...options.shell, services, rendererDir: renderer });
  return {
    tmp,
    services,
    shell,
    async close() {
      await shell.close();
      services.close();
      tmp.cleanup();
    },
  };
}
