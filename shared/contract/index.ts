import { z } from 'zod';
import type { RequestName } from './names';
import { noInput } from './common';
import { patientCreateInput, patientListInput, type Patient } from './patients';
import type { Result } from './result';
import type { SystemStatus } from './system';

/** A request: its input schema, and (as a phantom type) the value it answers with. */
export interface RequestSpec<I extends z.ZodType, O> {
  readonly input: I;
  readonly __output?: O;
}
const request =
  <O>() =>
  <I extends z.ZodType>(input: I): RequestSpec<I, O> => ({ input });

/**
 * The whole contract between the renderer and the main side. Every request is declared here once;
 * the main side validates every input against `input` before any handler runs.
 * `satisfies` makes the compiler check that these keys are exactly REQUEST_NAMES.
 */
export const contract = {
  'system.status': request<SystemStatus>()(noInput),
  'patients.create': request<Patient>()(patientCreateInput),
  'patients.list': request<Patient[]>()(patientListInput),
} as const satisfies { [K in RequestName]: RequestSpec<z.ZodType, unknown> };

type Contract = typeof contract;
/** What a caller sends. */
export type InputOf<K extends RequestName> = z.input<Contract[K]['input']>;
/** What a handler receives, after validation and normalisation. */
export type ParsedInputOf<K extends RequestName> = z.output<Contract[K]['input']>;
/** What the request answers with on success. */
export type OutputOf<K extends RequestName> = Contract[K] extends RequestSpec<z.ZodType, infer O> ? O : never;

/** The object the renderer calls: one async function per request, nothing else. */
export type ReservoirApi = { [K in RequestName]: (input: InputOf<K>) => Promise<Result<OutputOf<K>>> };

export { REQUEST_NAMES, IPC_CHANNEL, isRequestName, type RequestName } from './names';
export * from './result';
