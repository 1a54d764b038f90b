import { describe, expect, it } from 'vitest';
import type { EntrySignature } from '../../../../shared/contract/signatures';
import { fieldLabel, signatureText, valueText } from './labels';

const sig: EntrySignature = {
  id: 1,
  kind: 'refill',
  entryId: 7,
  userId: 2,
  printedName: 'Dr A. Jones',
  role: 'clinician',
  meaning: 'performed refill',
  signedAtMs: Date.UTC(2026, 10, 24, 14, 5),
  intact: true,
};

describe('signature and amendment labels', () => {
  it('the signature line names the signer, role, meaning and time in the clinic’s zone', () => {
    expect(signatureText(sig, 'Europe/London')).toBe('Signed by Dr A. Jones, clinician — performed refill — 11/24/2026, 02:05 PM');
    expect(signatureText(sig, 'America/New_York', 'Amended')).toBe('Amended by Dr A. Jones, clinician — performed refill — 11/24/2026, 09:05 AM');
  });

  it('amended fields and values read as a person would write them', () => {
    expect(fieldLabel('drugs.1.lot', ['Morphine', 'Clonidine'])).toBe('Clonidine lot');
    expect(fieldLabel('drugs.0.expiryDate')).toBe('Drug 1 expiry');
    expect(fieldLabel('catheterRemoved')).toBe('Catheter removed');
    expect(valueText(null, 'note')).toBe('(empty)');
    expect(valueText(false, 'catheterRemoved')).toBe('no');
    expect(valueText(['infection', 'lack_of_efficacy'], 'reasons')).toBe('infection, lack of efficacy');
    expect(valueText('2027-01-31', 'drugs.0.expiryDate')).toBe('01/31/2027');
    expect(valueText('returned_to_manufacturer', 'disposition')).toBe('returned to manufacturer');
    // Free text is shown as typed, underscores and dates included.
    expect(valueText('see file_01, seen 2026-11-20', 'note')).toBe('see file_01, seen 2026-11-20');
  });
});
