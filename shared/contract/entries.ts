import type { z } from 'zod';
import { contract, type InputOf, type ParsedInputOf } from './index';
import type { RequestName } from './names';
import { patientUpdateEntryInput } from './patients';
import { doseChangeEntryInput, refillEntryInput, removalEntryInput, reversalEntryInput, therapyRestartEntryInput } from './record';

/**
 * The internal path (issue 14, item 4). A client's edit always carries the version it was based on
 * (`basedOn`) and a clinical entry on a pump the pump state its form saw (`pumpState`): the
 * contract requires both, so no client skips the lost-update check by leaving them out. The import,
 * the benchmark's generator and the demo clinic record history through the services directly, not
 * through dispatch, and base it on nothing they have read: they parse with these schemas, the
 * requests' own without those two fields. A client can never reach them (dispatch validates every
 * request against `contract[name].input`).
 */
export const ENTRY_INPUTS = {
  'refills.record': refillEntryInput,
  'doseChanges.record': doseChangeEntryInput,
  'reversals.record': reversalEntryInput,
  'removals.record': removalEntryInput,
  'restarts.record': therapyRestartEntryInput,
  'patients.update': patientUpdateEntryInput,
} as const;
export type EntryName = keyof typeof ENTRY_INPUTS;

/** What the internal path takes for a request: its entry schema's input, or the contract's for any other request. */
export type InternalInputOf<K extends RequestName> = K extends EntryName ? z.input<(typeof ENTRY_INPUTS)[K]> : InputOf<K>;
export type ParsedInternalInputOf<K extends RequestName> = K extends EntryName ? z.output<(typeof ENTRY_INPUTS)[K]> : ParsedInputOf<K>;

const isEntry = (name: RequestName): name is EntryName => Object.hasOwn(ENTRY_INPUTS, name);

/** Parses an internal caller's input with the same schema as a client's request, less `basedOn`/`pumpState`. Throws when invalid. */
export function parseInternal<K extends RequestName>(name: K, input: InternalInputOf<K>): ParsedInternalInputOf<K> {
  const schema: z.ZodType = isEntry(name) ? ENTRY_INPUTS[name] : contract[name].input;
  return schema.parse(input) as ParsedInternalInputOf<K>;
}
