/**
 * The part of FHIR R4 (4.0.1) this export writes, as TypeScript types. Deliberately narrow: only the
 * elements we fill. The official JSON schema (see docs/fhir.md) is the check that they are right.
 */

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Quantity {
  value: number;
  unit: string;
  system: string;
  code: string;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface Period {
  start: string;
  end?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value: string;
  assigner?: Reference;
}

export interface Annotation {
  text: string;
}

export interface Patient {
  resourceType: 'Patient';
  id: string;
  identifier: Identifier[];
  name: { use: 'official'; family: string; given: string[] }[];
  gender?: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  deceasedBoolean?: true;
  telecom?: ContactPoint[];
  address?: Address[];
  contact?: PatientContact[];
  communication?: { language: CodeableConcept; preferred: true }[];
  generalPractitioner?: Reference[];
}

export interface ContactPoint {
  system: 'phone';
  value: string;
  use?: 'home' | 'work' | 'mobile';
}

export interface Address {
  use: 'home';
  type: 'both';
  line: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface PatientContact {
  relationship: CodeableConcept[];
  name: { text: string };
  telecom?: ContactPoint[];
  organization?: Reference;
}

export interface Device {
  resourceType: 'Device';
  id: string;
  meta: { profile: string[] };
  identifier?: Identifier[];
  udiCarrier?: { deviceIdentifier: string; issuer: string; jurisdiction: string; carrierHRF: string }[];
  status: 'active' | 'inactive';
  statusReason?: CodeableConcept[];
  manufacturer: string;
  manufactureDate?: string;
  expirationDate?: string;
  lotNumber?: string;
  serialNumber: string;
  deviceName: { name: string; type: 'model-name' | 'manufacturer-name' | 'udi-label-name' | 'user-friendly-name' | 'other' }[];
  modelNumber?: string;
  type: CodeableConcept;
  property?: { type: CodeableConcept; valueQuantity: Quantity[] }[];
  patient: Reference;
  note?: Annotation[];
}

export interface Procedure {
  resourceType: 'Procedure';
  id: string;
  status: 'completed';
  code: CodeableConcept;
  subject: Reference;
  performedDateTime: string;
  performer?: { actor: Reference }[];
  /** Who recorded the procedure in Reservoir (a display only: users are not exported as Practitioners). */
  recorder?: Reference;
  reasonCode?: CodeableConcept[];
  focalDevice: { action: CodeableConcept; manipulated: Reference }[];
  note?: Annotation[];
}

export interface MedicationRequest {
  resourceType: 'MedicationRequest';
  id: string;
  status: 'active' | 'completed' | 'stopped';
  intent: 'order';
  medicationCodeableConcept: CodeableConcept;
  subject: Reference;
  supportingInformation: Reference[];
  authoredOn: string;
  /** Who recorded the refill or dose change in Reservoir (a display only). */
  recorder?: Reference;
  reasonCode?: CodeableConcept[];
  note?: Annotation[];
  dosageInstruction: {
    text: string;
    timing: { repeat: { boundsPeriod: Period } };
    route: CodeableConcept;
    doseAndRate: { type: CodeableConcept; rateQuantity: Quantity }[];
  }[];
  dispenseRequest: { validityPeriod: Period };
  priorPrescription?: Reference;
}

export interface Observation {
  resourceType: 'Observation';
  id: string;
  status: 'final';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  focus: Reference[];
  effectiveDateTime: string;
  performer?: Reference[];
  valueQuantity: Quantity;
  interpretation?: CodeableConcept[];
  note?: Annotation[];
  component?: { code: CodeableConcept; valueQuantity: Quantity; interpretation?: CodeableConcept[] }[];
}

export type Resource = Patient | Device | Procedure | MedicationRequest | Observation;

export interface BundleEntry {
  fullUrl: string;
  resource: Resource;
}

export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  identifier: Identifier;
  type: 'collection';
  timestamp: string;
  entry?: BundleEntry[];
}
