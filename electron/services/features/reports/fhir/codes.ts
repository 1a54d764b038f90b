/**
 * Every code system and code the FHIR export writes, in one place. docs/fhir.md lists where each was
 * checked; a concept we could not confirm is written as text only, never as an invented code.
 */
import type { CodeableConcept, Coding } from './types';

export const SNOMED = 'http://snomed.info/sct';

export const US_CORE_IMPLANTABLE_DEVICE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-implantable-device';

/** SNOMED CT 72607000 |Intrathecal route (qualifier value)|. */
export const INTRATHECAL_ROUTE: CodeableConcept = {
  coding: [{ system: SNOMED, code: '72607000', display: 'Intrathecal route' }],
  text: 'Intrathecal',
};

/**
 * Device.type. SNOMED CT 40388003 |Implant, device (physical object)| is the most specific concept we
 * could confirm; a concept for an implantable intrathecal infusion pump is UNCONFIRMED (docs/fhir.md),
 * so the text says what the device is.
 */
export const PUMP_TYPE: CodeableConcept = {
  coding: [{ system: SNOMED, code: '40388003', display: 'Implant, device' }],
  text: 'Implantable intrathecal drug infusion pump',
};

/**
 * Procedure.focalDevice.action, from the R4 example value set http://hl7.org/fhir/ValueSet/device-action
 * (SNOMED CT descendants of 129264002 |Action|).
 */
export const ACTION_IMPLANTED: CodeableConcept = {
  coding: [{ system: SNOMED, code: '129336009', display: 'Implantation - action' }],
  text: 'Implanted',
};
export const ACTION_REMOVED: CodeableConcept = {
  coding: [{ system: SNOMED, code: '129303008', display: 'Removal - action' }],
  text: 'Removed',
};

/** Procedure.code: text only (CPT 62362/62361/62365 and SNOMED CT procedure concepts UNCONFIRMED). */
export const IMPLANT_PROCEDURE: CodeableConcept = { text: 'Implantation of intrathecal drug infusion pump' };
export const REMOVAL_PROCEDURE: CodeableConcept = { text: 'Removal of intrathecal drug infusion pump' };

/** Patient.identifier.type: HL7 v2 table 0203 `MR`. */
export const MRN_TYPE: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }],
  text: 'MRN',
};

/** Device.statusReason for a pump left in place but turned off (therapy reversal). */
export const STATUS_REASON_OFF: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/device-status-reason', code: 'off', display: 'Off' }],
  text: 'Turned off (therapy reversal)',
};

/** MedicationRequest.dosageInstruction.doseAndRate.type: the rate as ordered. */
export const DOSE_RATE_ORDERED: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/dose-rate-type', code: 'ordered', display: 'Ordered' }],
};

export const OBSERVATION_CATEGORY_PROCEDURE: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'procedure', display: 'Procedure' }],
};

/** Observation.code and component codes: text only (no LOINC or SNOMED CT concept found). */
export const RESIDUAL_CODE: CodeableConcept = { text: 'Withdrawn reservoir residual volume' };
export const EXPECTED_RESIDUAL_CODE: CodeableConcept = { text: 'Expected reservoir residual volume' };
export const DISCREPANCY_CODE: CodeableConcept = { text: 'Reservoir residual discrepancy (withdrawn minus expected)' };

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const interpretation = (coding: Coding, text: string): CodeableConcept => ({ coding: [coding], text });
export const DISCREPANCY_FLAGGED = interpretation(
  { system: INTERPRETATION, code: 'A', display: 'Abnormal' },
  "Discrepancy beyond the clinic's threshold",
);
export const DISCREPANCY_WITHIN = interpretation({ system: INTERPRETATION, code: 'N', display: 'Normal' }, "Discrepancy within the clinic's threshold");

/** Device.property types: text only. */
export const RESERVOIR_VOLUME: CodeableConcept = { text: 'Reservoir volume' };
export const ALARM_VOLUME: CodeableConcept = { text: 'Low-reservoir alarm volume' };

/** The GS1 issuer and the FDA jurisdiction of a UDI (US Core's udiCarrier guidance). */
export const GS1_ISSUER = 'http://hl7.org/fhir/NamingSystem/gs1-di';
export const FDA_UDI_JURISDICTION = 'http://hl7.org/fhir/NamingSystem/fda-udi';

/** Patient.contact.relationship: HL7 v2 table 0131 `C` (emergency contact); the relationship itself as text. */
export const CONTACT_ROLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0131';
export const EMERGENCY_CONTACT = { system: CONTACT_ROLE_SYSTEM, code: 'C', display: 'Emergency Contact' } as const;

/** Patient.communication.language: BCP 47 (urn:ietf:bcp:47), the value set FHIR R4 binds it to. */
export const BCP47 = 'urn:ietf:bcp:47';
