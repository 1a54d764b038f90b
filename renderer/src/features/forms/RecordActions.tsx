import type { PatientRecord } from '../../../../shared/contract/record';

/** The clinical forms reachable from a patient's record (refill, dose change, events, reversal, removal, implant). */
export function RecordActions(_props: { record: PatientRecord; onSaved: () => void }) {
  return null;
}
