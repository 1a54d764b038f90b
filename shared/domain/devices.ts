/**
 * The seed device catalog (docs: shared/reference/intrathecal-therapy.md, section 2).
 * Values the reference does not give are null and marked UNCONFIRMED; the clinic edits them.
 */
import type { Microlitres } from './units';

/** A programmable pump (rate set by telemetry) or a gas-driven constant-flow pump. */
export type PumpKind = 'programmable' | 'constant_flow';

/** One pump model of the catalog. */
export interface DeviceCatalogEntry {
  /** A stable key for seeding and look-ups. */
  readonly key: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly catalogueNumbers: readonly string[];
  /** Reservoir volume; null when not known (UNCONFIRMED). */
  readonly reservoirUl: Microlitres | null;
  /** Default low-reservoir alarm volume; null when the pump has no alarm or it is not known. */
  readonly defaultAlarmUl: Microlitres | null;
  /** Months from implant to end of service; null when not known or not battery-limited. */
  readonly serviceLifeMonths: number | null;
  /** How many months before end of service replacement planning starts. */
  readonly replacementLeadMonths: number;
  readonly kind: PumpKind;
  readonly mriNotes: string | null;
}

/**
 * What the record's pump card, the device inventory and Settings say for a model without a service
 * life (Prometra: UNCONFIRMED in the reference): such a pump is never flagged for replacement, and
 * saying so is safer than showing nothing.
 */
export const SERVICE_LIFE_NOT_SET = 'Service life not set';
