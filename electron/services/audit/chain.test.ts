import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEntry, entryHash, GENESIS_HASH } from './chain';

// The exact text hashed is the audit trail's format: a clinic's existing chain verifies only while
// it stays byte-for-byte the same, so these are pinned by hand, not derived from the code.
const row = {
  seq: 7,
  at_ms: 1_796_000_000_000,
  user_id: 3,
  username: 'nurse.kim',
  role: 'clinician',
  action: 'refill.record',
  entity: 'refill',
  entity_id: '41',
  patient_id: 12,
  before_json: null,
  after_json: '{"volume_ml_x1000":20000}',
  detail_json: null,
  prev_hash: GENESIS_HASH,
};

describe('the canonical audit entry', () => {
  it('is the v1 form for an entry without a workstation (every entry older than the column)', () => {
    const v1 = `["reservoir-audit-v1",7,1796000000000,3,"nurse.kim","clinician","refill.record","refill","41",12,null,"{\\"volume_ml_x1000\\":20000}",null,"${GENESIS_HASH}"]`;
    expect(canonicalEntry(row)).toBe(v1);
    expect(canonicalEntry({ ...row, workstation: null })).toBe(v1);
    expect(entryHash(row)).toBe(createHash('sha256').update(v1, 'utf8').digest('hex'));
    expect(entryHash(row)).toBe('af93a3d75b69349edcb90874e717578b6e2e90515d228cf6d83e54fb69039c3d');
  });

  it('is the v2 form with the workstation just before the previous hash', () => {
    const v2 = `["reservoir-audit-v2",7,1796000000000,3,"nurse.kim","clinician","refill.record","refill","41",12,null,"{\\"volume_ml_x1000\\":20000}",null,"ROOM1-PC (10.0.0.21)","${GENESIS_HASH}"]`;
    expect(canonicalEntry({ ...row, workstation: 'ROOM1-PC (10.0.0.21)' })).toBe(v2);
    expect(entryHash({ ...row, workstation: 'ROOM1-PC (10.0.0.21)' })).toBe('d3c40f4f244d27cef691fbd6a517f2b1762d74a8aeb625f83589402db659abd5');
  });
});
