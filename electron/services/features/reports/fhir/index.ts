/** The FHIR R4 export (docs/fhir.md): a Bundle of Patient, Device, Procedure, MedicationRequest and Observation. */
export { buildFhirBundle, writeFhirBundle, type FhirExportOptions, type FhirExportSummary } from './bundle';
export type { Bundle, BundleEntry, Resource } from './types';
