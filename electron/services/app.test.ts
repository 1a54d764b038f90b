import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type ReservoirServices } from './app';
import { tempDir } from './testing/temp';
import { LATEST_SCHEMA_VERSION } from './store/migrations';
import { TEST_COST } from './accounts/passwords';
import { roleFor, signInEveryRole, TEST_PASSWORD } from './testing/services';

let tmp: ReturnType<typeof tempDir>;
/** Signed in: each request is made by a user of a role allowed to make it. */
let services: ReservoirServices;
beforeEach(async () => {
  tmp = tempDir();
  const r = createServices({ databasePath: tmp.file('clinic.db'), shell: 'browser', now: () => 1_700_000_000_000, passwordCost: TEST_COST });
  if (!r.ok) throw new Error(r.error.message);
  const raw = r.value;
  const slots = await signInEveryRole(raw);
  services = { ...raw, dispatch: (name, input, slot) => raw.dispatch(name, input, slot ?? slots[roleFor(name)]) };
});
afterEach(() => {
  services.close();
  tmp.cleanup();
});

const grace = {
  mrn: 'RSV-1',
  familyName: 'Okafor',
  givenName: 'Grace',
  birthDate: '1958-03-14',
  sex: 'female',
  indications: ['cancer_pain'],
};

async function count(): Promise<number> {
  const r = await services.dispatch('patients.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as unknown[]).length;
}

describe('dispatch: the contract is validated before any handler runs', () => {
  it('answers an unknown request with unknown_request', async () => {
    const r = await services.dispatch('patients.drop', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
  });

  it.each([
    [{ ...grace, mrn: '' }, 'mrn', /required/],
    [{ ...grace, birthDate: '2025-02-29' }, 'birthDate', /real date/],
    [{ ...grace, sex: 'yes' }, 'sex', /one of/],
    [{ ...grace, indications: [] }, 'indications', /at least one/],
    [{ ...grace, indications: ['cancer_pain', 'cancer_pain'] }, 'indications', /twice/],
    [{ ...grace, familyName: 42 }, 'familyName', /text/],
    [{ ...grace, extra: 1 }, 'extra', /Unknown field/],
    [(({ givenName: _g, ...rest }) => rest)(grace), 'givenName', /required/],
  ])('refuses bad input %#, naming the field, and writes nothing', async (input, field, message) => {
    const r = await services.dispatch('patients.create', input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.field).toBe(field);
      expect(r.error.message).toMatch(message);
    }
    expect(await count()).toBe(0);
  });

  it('refuses input that is not an object', async () => {
    for (const bad of [null, 'x', 3, [grace]]) {
      const r = await services.dispatch('patients.create', bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(await count()).toBe(0);
  });

  it('creates a patient and lists it, trimmed and normalised', async () => {
    const r = await services.dispatch('patients.create', { ...grace, familyName: '  Okafor ', allergies: '' });
    expect(r).toMatchObject({ ok: true, value: { mrn: 'RSV-1', familyName: 'Okafor', allergies: null, status: 'active' } });
    const list = await services.dispatch('patients.list', {});
    expect(list).toMatchObject({ ok: true, value: [{ mrn: 'RSV-1', givenName: 'Grace' }] });
  });

  it('refuses a second patient with the same MRN (any case) as a conflict on mrn', async () => {
    await services.dispatch('patients.create', grace);
    const r = await services.dispatch('patients.create', { ...grace, mrn: 'rsv-1', givenName: 'Other' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', field: 'mrn' } });
    expect(await count()).toBe(1);
  });

  it('searches by name or MRN, treating % and _ literally', async () => {
    await services.dispatch('patients.create', grace);
    await services.dispatch('patients.create', { ...grace, mrn: 'RSV-2', familyName: 'Brennan', givenName: 'Thomas' });
    const byName = await services.dispatch('patients.list', { query: 'bren' });
    expect(byName).toMatchObject({ ok: true, value: [{ mrn: 'RSV-2' }] });
    const byMrn = await services.dispatch('patients.list', { query: 'RSV-1' });
    expect(byMrn).toMatchObject({ ok: true, value: [{ mrn: 'RSV-1' }] });
    expect(await services.dispatch('patients.list', { query: '%' })).toMatchObject({ ok: true, value: [] });
  });

  it('reports its status', async () => {
    const r = await services.dispatch('system.status', {});
    expect(r).toMatchObject({ ok: true, value: { state: 'ok', schemaVersion: LATEST_SCHEMA_VERSION, shell: 'browser' } });
  });
});

describe('createServices on problem databases', () => {
  it('a database another program holds locked is "in use", not damaged: no recovery mode, nothing changed', () => {
    const file = tmp.file('clinic.db'); // made and closed-over by beforeEach's services
    services.close();
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    holder.prepare("INSERT INTO settings (key, value) VALUES ('held', '1')").run();
    try {
      const r = createServices({ databasePath: file, shell: 'browser', busyTimeoutMs: 300 });
      expect(r).toMatchObject({ ok: false, error: { code: 'database_busy', message: expect.stringMatching(/in use by another program.*nothing was changed/) } });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const again = createServices({ databasePath: file, shell: 'browser', passwordCost: TEST_COST });
    expect(again.ok && again.value.status().state).toBe('ok');
    if (again.ok) services = again.value; // afterEach closes it
  });

  it('a write that waits past the busy timeout answers database_busy (not internal) and saves nothing', async () => {
    const file = tmp.file('clinic.db');
    services.close();
    const r = createServices({ databasePath: file, shell: 'browser', passwordCost: TEST_COST, busyTimeoutMs: 300 });
    if (!r.ok) throw new Error(r.error.message);
    const raw = r.value;
    // The users exist already (beforeEach): sign in as the clinician.
    const clinician = { id: null };
    const login = await raw.dispatch('session.login', { username: 'clinician', password: TEST_PASSWORD }, clinician);
    if (!login.ok) throw new Error(login.error.message);
    const slots = { clinician };
    services = raw;
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE'); // another program (an import) is writing
    try {
      const busy = await raw.dispatch('patients.create', grace, slots.clinician);
      expect(busy).toMatchObject({ ok: false, error: { code: 'database_busy', message: expect.stringMatching(/in use by another program.*Nothing was saved/) } });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await raw.dispatch('patients.list', {}, slots.clinician)).toMatchObject({ ok: true, value: [] });
    expect((await raw.dispatch('patients.create', grace, slots.clinician)).ok).toBe(true); // its turn has come
  });

  it('fails with database_newer for a database from a newer version', () => {
    const file = tmp.file('newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    const r = createServices({ databasePath: file, shell: 'browser' });
    expect(r).toMatchObject({ ok: false, error: { code: 'database_newer' } });
  });

  it('in recovery, answers status and refuses every other request', async () => {
    const file = tmp.file('junk.db');
    (await import('node:fs')).writeFileSync(file, 'not a database'.repeat(500));
    const r = createServices({ databasePath: file, shell: 'browser' });
    if (!r.ok) throw new Error(r.error.message);
    expect(await r.value.dispatch('system.status', {})).toMatchObject({ ok: true, value: { state: 'recovery' } });
    expect(await r.value.dispatch('patients.create', grace)).toMatchObject({ ok: false, error: { code: 'database_damaged' } });
    expect(await r.value.dispatch('patients.list', {})).toMatchObject({ ok: false, error: { code: 'database_damaged' } });
    r.value.close();
  });

  it('seeds the demo clinic only on an empty database', async () => {
    const file = tmp.file('demo.db');
    let seeded = 0;
    const open = () =>
      createServices({
        databasePath: file,
        shell: 'browser',
        seed: (ctx) => {
          seeded++;
          ctx.store.patients.create({ ...grace, sex: 'female', indications: ['cancer_pain'] } as never, 0);
        },
      });
    for (let i = 0; i < 2; i++) {
      const r = open();
      if (!r.ok) throw new Error(r.error.message);
      r.value.close();
    }
    expect(seeded).toBe(1);
  });
});

describe('patients.update', () => {
  /** The patient's version as the record answers it (an edit is based on it). */
  const versionOf = async (id: number) => ((await services.dispatch('patients.get', { id })) as { value: { patientVersion: number } }).value.patientVersion;

  it('refuses an edit without the version it was based on, naming the field, and changes nothing (issue 14, item 4)', async () => {
    const created = await services.dispatch('patients.create', grace);
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.value as { id: number }).id;
    const r = await services.dispatch('patients.update', { id, familyName: 'Changed' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'basedOn' } });
    expect(r.ok ? '' : r.error.message).toMatch(/basedOn.*required/);
    expect(await services.dispatch('patients.get', { id })).toMatchObject({ ok: true, value: { patient: { familyName: 'Okafor' } } });
    const ok = await services.dispatch('patients.update', { id, familyName: 'Changed', basedOn: await versionOf(id) });
    expect(ok).toMatchObject({ ok: true, value: { familyName: 'Changed' } });
  });

  it('changes only the fields given; allergies survive a status change; null clears them', async () => {
    const created = await services.dispatch('patients.create', { ...grace, allergies: 'Penicillin', clinician: 'Dr. Moreau' });
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.value as { id: number }).id;
    const r = await services.dispatch('patients.update', { id, status: 'therapy_stopped', basedOn: await versionOf(id) });
    expect(r).toMatchObject({ ok: true, value: { status: 'therapy_stopped', allergies: 'Penicillin', clinician: 'Dr. Moreau', familyName: 'Okafor' } });
    const cleared = await services.dispatch('patients.update', { id, allergies: null, givenName: 'Grace A.', basedOn: await versionOf(id) });
    expect(cleared).toMatchObject({ ok: true, value: { allergies: null, givenName: 'Grace A.', status: 'therapy_stopped' } });
  });

  it('refuses an MRN already used, an unknown id and a bad status, changing nothing', async () => {
    const a = await services.dispatch('patients.create', grace);
    await services.dispatch('patients.create', { ...grace, mrn: 'RSV-2' });
    if (!a.ok) throw new Error(a.error.message);
    const id = (a.value as { id: number }).id;
    const basedOn = await versionOf(id);
    expect(await services.dispatch('patients.update', { id, mrn: 'RSV-2', basedOn })).toMatchObject({ ok: false, error: { code: 'conflict', field: 'mrn' } });
    expect(await services.dispatch('patients.update', { id: 999, status: 'deceased', basedOn: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await services.dispatch('patients.update', { id, status: 'gone', basedOn })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'status' } });
    const list = await services.dispatch('patients.list', { query: 'RSV-1' });
    expect(list).toMatchObject({ ok: true, value: [{ mrn: 'RSV-1', status: 'active' }] });
  });
});
