import type { PatientRecord } from '../../../../../shared/contract/record';

/** The patient's reservoir-level, refill-history and dose-history charts. */
export function RecordCharts(_props: { record: PatientRecord }) {
  return null;
}
