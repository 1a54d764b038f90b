/**
 * A connected desktop workstation, through Playwright's Electron driver, against a real clinic
 * server (`reservoir serve` as a child process): Settings → This workstation shows the server and
 * its pinned fingerprint, and a pump implanted by another session appears in the open record
 * without a reload (live updates relayed by main). Where no Electron binary is installed the whole
 * file reports itself skipped, with the reason; the Node parts are tested in electron/remote/ and
 * electron/main/workstation.test.ts.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir } from './shell';
import { findElectronBinary, mainBundle, root } from './electron-binary';
import { startClinicServer } from '../electron/services/testing/clinic-server';
import { createRemoteClient } from '../electron/remote/forward';

const electronPath = findElectronBinary();
test.skip(electronPath === null, 'skipped: no Electron binary');
// Chromium needs --no-sandbox as root; the console runs with the sandbox on (run as an ordinary user).
test.skip(process.getuid?.() === 0, 'skipped: running as root (Chromium would need --no-sandbox)');

const PASSWORD = 'a good long password';

test('connected: Settings shows the pinned server; another session’s implant appears in the open record within 5 s', async () => {
  const data = freshDataDir();
  const server = await startClinicServer({ db: data.db, dir: data.dir });
  try {
    const client = createRemoteClient({ url: server.url, fingerprint: server.fingerprint, workstation: 'OTHER-ROOM' });
    const admin = { id: null as string | null };
    const nurse = { id: null as string | null };
    const must = async <T>(name: string, input: unknown, slot: { id: string | null }): Promise<T> => {
      const r = await client.dispatch(name, input, slot);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value as T;
    };
    await must('session.setup', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD }, admin);
    await must('users.create', { username: 'nina', displayName: 'Nina Nurse', role: 'clinician', password: PASSWORD }, admin);
    await must('session.login', { username: 'nina', password: PASSWORD }, nurse);
    const patient = await must<{ id: number }>('patients.create', { mrn: 'EL-1', familyName: 'Okafor', givenName: 'Ben', birthDate: '1961-05-03', sex: 'male', indications: ['cancer_pain'] }, nurse);

    const userData = path.join(data.dir, 'user-data');
    fs.mkdirSync(userData, { mode: 0o700 });
    fs.writeFileSync(path.join(userData, 'workstation.json'), JSON.stringify({ mode: 'server', url: server.url.replace(/\/$/, ''), fingerprint: server.fingerprint }), { mode: 0o600 });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE' && k !== 'RESERVOIR_DB') env[k] = v;
    env.RESERVOIR_USER_DATA = userData;
    const app = await electron.launch({ executablePath: electronPath!, args: [mainBundle], env, cwd: root });
    try {
      const page = await app.firstWindow();
      await page.evaluate(async (password) => {
        type Api = Record<string, (input: unknown) => Promise<{ ok: boolean; error?: { message: string } }>>;
        const r = await (window as unknown as { reservoir: Api }).reservoir['session.login']!({ username: 'ada', password });
        if (!r.ok) throw new Error(r.error?.message);
      }, PASSWORD);
      await page.reload();
      await page.getByTestId('current-user').waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      const section = page.getByRole('region', { name: 'This workstation' });
      await expect(section.getByTestId('workstation-mode')).toHaveText('Connected to the clinic server');
      await expect(section.getByTestId('pinned-fingerprint')).toHaveText(server.fingerprint);
      await expect(section.getByRole('button', { name: 'Use this computer only' })).toBeVisible();

      await page.evaluate((id) => (window.location.hash = `#/patients/${id}`), patient.id);
      await expect(page.getByText('Okafor', { exact: false }).first()).toBeVisible();
      const devices = await must<{ id: number; model: string; reservoirUl: number }[]>('devices.list', {}, nurse);
      const model = devices.find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
      await must('pumps.implant', { patientId: patient.id, deviceModelId: model.id, serial: 'EL-LIVE-0001', implantDate: new Date().toISOString().slice(0, 10) }, nurse);
      await expect(page.getByText('EL-LIVE-0001').first()).toBeVisible({ timeout: 5_000 });
    } finally {
      await app.close();
    }
  } finally {
    await server.stop('SIGKILL');
    data.cleanup();
  }
});
