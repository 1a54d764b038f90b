import type { HandlerContext } from './handler-types';
import type { ParsedInputOf } from '../../shared/contract';

/**
 * The demo clinic loaded on an empty database with `--demo` (and by `npm start` on first run).
 * Deterministic: the same patients every time.
 */
const DEMO_PATIENTS: ParsedInputOf<'patients.create'>[] = [
  { mrn: 'RSV-1001', familyName: 'Okafor', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['cancer_pain'], allergies: 'Penicillin', clinician: 'Dr. Lindqvist' },
  { mrn: 'RSV-1002', familyName: 'Brennan', givenName: 'Thomas', birthDate: '1971-11-02', sex: 'male', indications: ['spasticity'], allergies: undefined, clinician: 'Dr. Lindqvist' },
  { mrn: 'RSV-1003', familyName: 'Haddad', givenName: 'Layla', birthDate: '1966-07-29', sex: 'female', indications: ['failed_back_surgery_syndrome', 'arachnoiditis'], allergies: undefined, clinician: 'Dr. Moreau' },
  { mrn: 'RSV-1004', familyName: 'Novak', givenName: 'Pavel', birthDate: '1982-01-17', sex: 'male', indications: ['crps'], allergies: 'Latex', clinician: 'Dr. Moreau' },
  { mrn: 'RSV-1005', familyName: 'Sato', givenName: 'Emi', birthDate: '1949-09-05', sex: 'female', indications: ['chronic_pancreatitis'], allergies: undefined, clinician: 'Dr. Lindqvist' },
];

export function seedDemoClinic(ctx: HandlerContext): void {
  for (const p of DEMO_PATIENTS) ctx.store.patients.create(p, ctx.now());
}
