import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, type AuditEntry } from '../contract/audit';
import { AUDIT_ACTION_LABELS, auditChangeRows, describeAudit, genericSentence, ISO_FORMAT, type AuditFormat } from './audit-words';

const NO_NAMES = { actor: null, patient: null, pumpSerial: null, user: null };

/** An entry as `audit.list` answers it; a signed-in clinician acting on Jane Doe's pump unless told. */
function entry(over: Partial<AuditEntry>): AuditEntry {
  return {
    seq: 1,
    atMs: Date.UTC(2026, 11, 7, 14, 5),
    userId: 3,
    username: 'moreau',
    role: 'clinician',
    action: 'create',
    entity: 'refill',
    entityId: '12',
    patientId: 7,
    patientMrn: '100234',
    before: null,
    after: null,
    detail: null,
    workstation: null,
    hash: 'h',
    ...over,
    names: { ...NO_NAMES, actor: 'Dr. Moreau', patient: 'Jane Doe', pumpSerial: 'SM-12345', ...over.names },
  };
}
const words = (over: Partial<AuditEntry>) => describeAudit(entry(over), ISO_FORMAT);
/** A reader in the US: month/day/year dates. */
const US: AuditFormat = {
  date: (iso) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.parse(`${iso}T00:00:00Z`)),
  instant: (ms) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' }).format(ms),
  number: (v, d, fixed) => new Intl.NumberFormat('en-US', { minimumFractionDigits: fixed ? d : 0, maximumFractionDigits: d }).format(v),
};

const refill = {
  id: 12,
  pumpId: 4,
  date: '2026-12-07',
  withdrawnUl: 2100,
  addedUl: 18000,
  drugs: [{ drugId: 1, drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 10_000_000, dailyDoseNgPerDay: 2_000_000, lot: null, expiryDate: null }],
};

describe('one sentence per entry: who did what to whom', () => {
  it('a refill names the pump, the patient, the date, the volume and the doses', () => {
    expect(words({ after: refill })).toBe('Dr. Moreau recorded a refill of pump SM-12345 (Jane Doe, MRN 100234) on 2026-12-07: 18.00 mL added, Morphine 2 mg/day.');
    // In the reader's locale.
    expect(describeAudit(entry({ after: refill }), US)).toContain('on 12/07/2026');
    // With an override of a soft limit, its reason.
    expect(words({ after: refill, detail: { warnings: [], override: { reason: 'pain crisis', limits: [] } } })).toContain("beyond a soft limit, with the reason 'pain crisis'");
  });

  it('a failed sign-in says for whom and why, with the attempt count', () => {
    const failed = (detail: Record<string, unknown>, over: Partial<AuditEntry> = {}) =>
      words({ action: 'login_failed', entity: 'session', entityId: '5', username: 'nurse2', userId: 5, patientId: null, patientMrn: null, detail, ...over, names: { actor: 'Nina Nurse', patient: null, pumpSerial: null } as never });
    expect(failed({ during: 'login', failures: 3, lockedUntilMs: null })).toBe("Sign-in failed for user 'nurse2' (wrong password, attempt 3 of 5).");
    expect(failed({ during: 'login', failures: 5, lockedUntilMs: Date.UTC(2026, 11, 7, 14, 20) })).toBe("Sign-in failed for user 'nurse2' (wrong password, attempt 5 of 5; the account is locked until 2026-12-07 14:20 UTC).");
    expect(failed({ during: 'unlock', reason: 'account_locked' })).toBe("Unlocking the console failed for user 'nurse2' (the account is locked).");
    expect(failed({ during: 'sign', reason: 'inactive' })).toBe("Signing an entry failed for user 'nurse2' (the account is deactivated).");
    // An unknown username: the name typed, from the detail; nobody was signed in.
    expect(failed({ username: 'nurse9', reason: 'unknown_user' }, { userId: null, username: 'anonymous', entityId: null })).toBe("Sign-in failed for user 'nurse9' (no such user).");
    // A refused access token.
    expect(failed({ reason: 'revoked', token: 'nightly export', role: 'auditor' }, { entity: 'token', userId: null, username: 'anonymous' })).toBe("Access with token 'nightly export' was refused (the token was revoked).");
  });

  it('an access token created for a role, with its expiry; revoked', () => {
    const admin = { userId: 1, username: 'admin', role: 'administrator' as const, patientId: null, patientMrn: null, entity: 'token', entityId: '2', names: { actor: 'Administrator A' } as never };
    expect(words({ ...admin, action: 'token_create', after: { name: 'nightly export', role: 'auditor', expiresAtMs: Date.UTC(2027, 0, 31, 23) } })).toBe(
      "Administrator A created access token 'nightly export' for auditors, expiring 2027-01-31.",
    );
    expect(words({ ...admin, action: 'token_revoke', detail: { name: 'nightly export', role: 'auditor' } })).toBe("Administrator A revoked access token 'nightly export' (for auditors).");
  });

  it('patients, settings, the drug list, the device catalog: created, or changed naming the fields', () => {
    const patient = { id: 7, mrn: '100234', familyName: 'Doe', givenName: 'Jane', birthDate: '1960-04-01' };
    expect(words({ entity: 'patient', entityId: '7', after: patient })).toBe('Dr. Moreau created the record of Jane Doe (MRN 100234).');
    expect(words({ action: 'update', entity: 'patient', entityId: '7', before: patient, after: { ...patient, birthDate: '1960-04-02', updatedAtMs: 5 } })).toBe(
      'Dr. Moreau changed the details of Jane Doe (MRN 100234): Birth date.',
    );
    expect(words({ action: 'update', entity: 'settings', entityId: null, patientId: null, patientMrn: null, before: { dueWindowDays: 14, clinicName: 'A' }, after: { dueWindowDays: 10, clinicName: 'A' } })).toBe(
      'Dr. Moreau changed the clinic settings: Due window.',
    );
    expect(words({ entity: 'drug', entityId: '9', patientId: null, patientMrn: null, after: { id: 9, name: 'Clonidine' } })).toBe('Dr. Moreau added Clonidine to the drug list.');
    expect(words({ action: 'update', entity: 'device_model', entityId: '2', patientId: null, patientMrn: null, before: { manufacturer: 'Flowonix', model: 'Prometra', serviceLifeMonths: null }, after: { manufacturer: 'Flowonix', model: 'Prometra', serviceLifeMonths: 120 } })).toBe(
      'Dr. Moreau changed Flowonix Prometra in the device catalog: Service life.',
    );
  });

  it('accounts: a role change, a new user, an unlock; the first administrator', () => {
    const acct = { entity: 'user', entityId: '5', patientId: null, patientMrn: null, names: { actor: 'Ada Admin', user: { username: 'staff', displayName: 'Sam Staff' } } as never };
    expect(words({ ...acct, action: 'role_change', before: { role: 'staff' }, after: { role: 'clinician' } })).toBe("Ada Admin changed the role of user 'staff' (Sam Staff) from Staff to Clinician; their sessions ended.");
    expect(words({ ...acct, action: 'user_create', after: { username: 'staff', displayName: 'Sam Staff', role: 'staff' } })).toBe("Ada Admin created user 'staff' (Sam Staff, Staff).");
    expect(words({ ...acct, action: 'account_unlock', before: { failedLogins: 5, lockedUntilMs: 1 }, after: { failedLogins: 0, lockedUntilMs: null } })).toBe("Ada Admin lifted the lockout of user 'staff' (Sam Staff) (after 5 failed attempts).");
    expect(words({ ...acct, action: 'user_create', after: { username: 'ada', displayName: 'Ada Admin', role: 'administrator' }, detail: { firstRun: true } })).toBe("Ada Admin created the first administrator account, 'ada' (Ada Admin).");
  });

  it('who acted, when nobody signed in: the command line, a token, Reservoir itself', () => {
    expect(words({ userId: null, username: 'cli:alice', role: null, entity: 'import', entityId: null, patientId: null, patientMrn: null, detail: { folder: '/tmp/in', created: { patients: 3, pumps: 4 }, skipped: { patients: 0 } }, names: { actor: null } as never })).toBe(
      "The command line (computer user 'alice') imported clinic records from /tmp/in (created: 3 patients, 4 pumps; skipped: 0 patients).",
    );
    expect(words({ action: 'export', userId: null, username: "token 'nightly export' (auditor)", role: 'auditor', entity: 'report', entityId: 'safety', patientId: null, patientMrn: null, detail: { report: 'safety', format: 'csv', from: '2026-11-01', to: '2026-11-30', patients: 12 }, names: { actor: null } as never })).toBe(
      "Access token 'nightly export' exported the safety report as CSV for 2026-11-01 to 2026-11-30 (12 patients).",
    );
    expect(words({ userId: null, username: 'system', role: null, entity: 'demo_clinic', entityId: null, patientId: null, patientMrn: null, detail: { asOf: '2026-12-07', patients: ['1', '2'] }, names: { actor: null } as never })).toBe(
      'Reservoir created the demo clinic with 2 demo patients as of 2026-12-07 — demo data, not real patients.',
    );
  });

  it('views, exports, double checks, signatures, amendments, pump events', () => {
    expect(words({ action: 'view', entity: 'patient', entityId: '7' })).toBe('Dr. Moreau opened the record of Jane Doe (MRN 100234).');
    expect(words({ action: 'export', entity: 'audit_log', entityId: null, patientId: null, patientMrn: null, detail: { filter: {}, rows: 2 } })).toBe('Dr. Moreau exported the audit trail as CSV (2 entries).');
    expect(words({ action: 'verification_request', entity: 'dose_change', detail: { reasons: ['opioid_increase'], summary: 'Morphine 2 → 3 mg/day' } })).toBe(
      'The dose change of pump SM-12345 (Jane Doe, MRN 100234) recorded by Dr. Moreau awaits an independent double check (opioid dose increase): Morphine 2 → 3 mg/day.',
    );
    expect(words({ action: 'reject', entity: 'dose_change', after: { summary: 'Morphine 2 → 3 mg/day' }, detail: { recordedBy: { name: 'RN Patel' }, reason: 'wrong drug' } })).toBe(
      "Dr. Moreau rejected the dose change of pump SM-12345 (Jane Doe, MRN 100234) recorded by RN Patel (Morphine 2 → 3 mg/day), giving the reason 'wrong drug'.",
    );
    expect(words({ action: 'sign', entity: 'refill', detail: { meaning: 'performed refill' } })).toBe("Dr. Moreau signed the refill visit of pump SM-12345 (Jane Doe, MRN 100234) ('performed refill').");
    expect(words({ action: 'amend', entity: 'refill', before: { 'drugs.0.lot': null }, after: { 'drugs.0.lot': 'L-77' }, detail: { reason: 'lot missed' } })).toBe(
      "Dr. Moreau amended the refill visit of pump SM-12345 (Jane Doe, MRN 100234), giving the reason 'lot missed'.",
    );
    expect(words({ action: 'update', entity: 'pump', entityId: '4', after: { pump: { serial: 'SM-12345' }, reversal: { date: '2026-12-01', kind: 'turned_off' } } })).toBe(
      'Dr. Moreau recorded a therapy reversal of pump SM-12345 (Jane Doe, MRN 100234) on 2026-12-01 (pump turned off).',
    );
    expect(words({ action: 'denied', entity: 'request', entityId: 'refills.record', patientId: null, patientMrn: null, detail: { role: 'staff' } })).toBe('Dr. Moreau was refused refills.record: the role Staff may not make it.');
  });

  it('every action and every kind of record gives a sentence, never a code or JSON', () => {
    for (const action of AUDIT_ACTIONS)
      for (const entity of AUDIT_ENTITIES) {
        const text = words({ action, entity, detail: {}, before: {}, after: {} });
        expect(text, `${action} ${entity}`).toMatch(/^[A-Z].*\.$/);
        expect(text).not.toMatch(/[{}]|login_failed|_/);
      }
  });
});

describe('entries written by older versions, or in shapes not known here', () => {
  it('a malformed detail falls back to the generic sentence, never a crash', () => {
    const odd = entry({ action: 'login_failed', entity: 'session', detail: { during: 42, failures: 'three' } as never });
    expect(describeAudit(odd, ISO_FORMAT)).toBe('Dr. Moreau: sign-in failed, session 12 (Jane Doe, MRN 100234).');
    // A detail that is not even an object, an after that is a string, names missing altogether.
    const worse = { ...entry({ action: 'token_create', entity: 'token', detail: 'x' as never, after: 'not an object' }), names: undefined } as unknown as AuditEntry;
    expect(describeAudit(worse, ISO_FORMAT)).toBe("User 'moreau': access token created, access token 12 (MRN 100234).");
    // An action or entity this version does not know (a newer file read by an older console).
    const future = entry({ action: 'teleport' as never, entity: 'spaceship' as never, entityId: null, patientId: null, patientMrn: null, names: { patient: null } as never });
    expect(describeAudit(future, ISO_FORMAT)).toBe('Dr. Moreau: teleport, spaceship.');
    expect(genericSentence(future)).toBe('Dr. Moreau: teleport, spaceship.');
  });

  it('never throws, whatever the values hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AUDIT_ACTIONS), fc.constantFrom(...AUDIT_ENTITIES, 'old_kind'), fc.anything(), fc.anything(), fc.anything(), (action, entity, before, after, detail) => {
        const e = entry({ action, entity, before, after, detail: detail as never });
        expect(describeAudit(e, ISO_FORMAT)).toMatch(/\.$/);
        expect(Array.isArray(auditChangeRows(e, ISO_FORMAT))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('before and after as rows', () => {
  it('a patient edit: only the fields that changed, labelled, dates in the reader’s locale, contacts by their own fields', () => {
    const before = {
      id: 7,
      mrn: '100234',
      familyName: 'Doe',
      birthDate: '1960-04-01',
      allergies: null,
      status: 'active',
      updatedAtMs: 1,
      contacts: { phones: [{ use: 'mobile', number: '555 0101' }], address: null, language: 'en', emergencyContact: null, referringPhysician: null, familyDoctor: null },
    };
    const after = { ...before, familyName: 'Doe-Smith', birthDate: '1960-04-02', allergies: 'latex', status: 'deceased', updatedAtMs: 2, contacts: { ...before.contacts, phones: [{ use: 'home', number: '555 0199' }], language: 'es' } };
    const rows = auditChangeRows(entry({ action: 'update', entity: 'patient', before, after }), US);
    expect(rows).toEqual([
      { field: 'Family name', before: 'Doe', after: 'Doe-Smith' },
      { field: 'Birth date', before: '04/01/1960', after: '04/02/1960' },
      { field: 'Allergies', before: '—', after: 'latex' },
      { field: 'Status', before: 'Active', after: 'Deceased' },
      { field: 'Phones', before: 'Mobile: 555 0101', after: 'Home: 555 0199' },
      { field: 'Preferred language', before: 'English', after: 'Spanish' },
    ]);
  });

  it('contacts: an address by its fields, an emergency contact added', () => {
    const contacts = { phones: [], address: { lines: ['7 Birch Court'], city: 'Springfield', region: null, postalCode: '62701', country: 'US' }, emergencyContact: null, referringPhysician: null, familyDoctor: null, language: null };
    const after = { ...contacts, address: { ...contacts.address, lines: ['9 Elm Street', 'Flat 2'] }, emergencyContact: { name: 'Siobhan Brennan', relationship: 'Wife', phone: '(312) 555-0113' } };
    expect(auditChangeRows(entry({ action: 'update', entity: 'patient', before: { contacts }, after: { contacts: after } }), ISO_FORMAT)).toEqual([
      { field: 'Address street', before: '7 Birch Court', after: '9 Elm Street, Flat 2' },
      { field: 'Emergency contact name', before: '—', after: 'Siobhan Brennan' },
      { field: 'Emergency contact relationship', before: '—', after: 'Wife' },
      { field: 'Emergency contact phone', before: '—', after: '(312) 555-0113' },
    ]);
  });

  it('settings and the drug list: units kept, Yes/No, ranges', () => {
    const settings = auditChangeRows(
      entry({ action: 'update', entity: 'settings', before: { discrepancyThresholdSmallUl: 1000, doubleCheckDoseIncreases: true, dueWindowDays: 14 }, after: { discrepancyThresholdSmallUl: 1500, doubleCheckDoseIncreases: false, dueWindowDays: 1 } }),
      ISO_FORMAT,
    );
    expect(settings).toEqual([
      { field: 'Discrepancy threshold (small reservoirs)', before: '1.00 mL', after: '1.50 mL' },
      { field: 'Double check of opioid and ziconotide dose increases', before: 'Yes', after: 'No' },
      { field: 'Due window', before: '14 days', after: '1 day' },
    ]);
    const drug = auditChangeRows(
      entry({ action: 'update', entity: 'drug', before: { name: 'Morphine', unit: 'mg', maxDoseNgPerDay: null, typicalDoseNgPerDay: { min: 1_000_000, max: 5_000_000 } }, after: { name: 'Morphine', unit: 'mg', maxDoseNgPerDay: 20_000_000, typicalDoseNgPerDay: { min: 500_000, max: 5_000_000 } } }),
      ISO_FORMAT,
    );
    expect(drug).toEqual([
      { field: 'Maximum daily dose', before: '—', after: '20 mg/day' },
      { field: 'Typical daily dose', before: '1 mg/day to 5 mg/day', after: '0.5 mg/day to 5 mg/day' },
    ]);
  });

  it('an amendment by its paths; a new user with nothing before; an account unlock', () => {
    expect(auditChangeRows(entry({ action: 'amend', before: { 'drugs.0.lot': null, note: 'a' }, after: { 'drugs.0.lot': 'L-77', note: 'b' } }), ISO_FORMAT)).toEqual([
      { field: 'Drug 1 lot', before: '—', after: 'L-77' },
      { field: 'Note', before: 'a', after: 'b' },
    ]);
    expect(auditChangeRows(entry({ action: 'user_create', entity: 'user', after: { id: 5, username: 'sam', displayName: 'Sam Staff', role: 'staff', active: true } }), ISO_FORMAT)).toEqual([
      { field: 'Username', before: '—', after: 'sam' },
      { field: 'Full name', before: '—', after: 'Sam Staff' },
      { field: 'Role', before: '—', after: 'Staff' },
      { field: 'Active', before: '—', after: 'Yes' },
    ]);
    expect(auditChangeRows(entry({ action: 'account_unlock', entity: 'user', before: { failedLogins: 5, lockedUntilMs: Date.UTC(2026, 11, 7, 14, 20) }, after: { failedLogins: 0, lockedUntilMs: null } }), ISO_FORMAT)).toEqual([
      { field: 'Failed sign-ins in a row', before: '5', after: '0' },
      { field: 'Locked until', before: '2026-12-07 14:20 UTC', after: '—' },
    ]);
  });

  it('no table for entries whose sentence says it all', () => {
    expect(auditChangeRows(entry({ action: 'login', entity: 'session' }), ISO_FORMAT)).toEqual([]);
    expect(auditChangeRows(entry({ after: refill }), ISO_FORMAT)).toEqual([]);
  });
});

describe('labels', () => {
  it('every action has a label a person reads, not its code', () => {
    for (const a of AUDIT_ACTIONS) expect(AUDIT_ACTION_LABELS[a]).toMatch(/^[A-Z][^_]*$/);
  });
});
