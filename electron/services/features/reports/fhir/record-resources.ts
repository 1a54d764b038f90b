/**
 * Patient, Device and the implant / explant Procedures of one patient's record.
 * Each builder is a pure function of the record; ids come from `ExportIds` (deterministic UUIDs).
 */
import type { Patient as RecordPatient, Sex } from '../../../../../shared/contract/patients';
import { recorderName, type DeviceModel, type Disposition, type Pump, type Recorder, type Removal, type RemovalReason } from '../../../../../shared/contract/record';
import { assertNever } from '../../../../../shared/contract/result';
import * as codes from './codes';
import { mlQuantity, decimalText } from './quantities';
import { parseGs1Udi } from './udi';
import type { Address, Annotation, ContactPoint, Device, Patient, PatientContact, Procedure, Reference } from './types';
import { languageName, type PatientContacts, type Physician } from '../../../../../shared/contract/contacts';

/** Deterministic ids of one export: `uuid(key)` and its `urn:uuid:` reference. */
export interface ExportIds {
  uuid(key: string): string;
}
export const urn = (id: string): string => `urn:uuid:${id}`;
/** `recorder`: who recorded the entry in Reservoir, as a display-only reference (none for entries recorded before this was kept). */
export const recorderRef = (recorder: Recorder | null): { recorder?: Reference } => {
  const name = recorderName(recorder);
  return name === null ? {} : { recorder: { display: name } };
};

export const ref = (ids: ExportIds, key: string, display?: string): Reference =>
  display === undefined ? { reference: urn(ids.uuid(key)) } : { reference: urn(ids.uuid(key)), display };

export const patientKey = (p: { id: number }): string => `Patient/${p.id}`;
export const deviceKey = (pump: { id: number }): string => `Device/${pump.id}`;

export interface PatientOptions {
  clinicName: string;
  /** URI of the clinic's MRN namespace, when the receiving hospital assigned one. */
  mrnSystem?: string;
}

function gender(sex: Sex): Patient['gender'] | undefined {
  switch (sex) {
    case 'female':
    case 'male':
    case 'other':
      return sex;
    case 'unknown':
      return undefined; // "if recorded": unknown is not written
  }
  return assertNever(sex, 'sex');
}

export function patientResource(ids: ExportIds, p: RecordPatient, options: PatientOptions): Patient {
  const g = gender(p.sex);
  return {
    resourceType: 'Patient',
    id: ids.uuid(patientKey(p)),
    identifier: [
      {
        use: 'usual',
        type: codes.MRN_TYPE,
        ...(options.mrnSystem ? { system: options.mrnSystem } : {}),
        value: p.mrn,
        assigner: { display: options.clinicName },
      },
    ],
    name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
    ...(g ? { gender: g } : {}),
    birthDate: p.birthDate,
    ...(p.status === 'deceased' ? { deceasedBoolean: true as const } : {}),
    ...contactElements(p.contacts),
  };
}

const phone = (value: string, use?: ContactPoint['use']): ContactPoint => ({ system: 'phone', value, ...(use ? { use } : {}) });
const physicianDisplay = (d: Physician): string => (d.practice ? `${d.name}, ${d.practice}` : d.name);

/**
 * The patient's contacts as Patient elements (each only when recorded): telecom (phones with their
 * use), address (home), contact (the emergency contact, v2-0131 `C`; the referring physician, as
 * text, with the practice as organization), communication (the preferred language, BCP 47) and
 * generalPractitioner (the family doctor, a display-only reference: no Practitioner resource).
 */
export function contactElements(c: PatientContacts): Pick<Patient, 'telecom' | 'address' | 'contact' | 'communication' | 'generalPractitioner'> {
  const out: Pick<Patient, 'telecom' | 'address' | 'contact' | 'communication' | 'generalPractitioner'> = {};
  if (c.phones.length > 0) out.telecom = c.phones.map((ph) => phone(ph.number, ph.use));
  if (c.address) {
    const a = c.address;
    const address: Address = { use: 'home', type: 'both', line: a.lines };
    if (a.city) address.city = a.city;
    if (a.region) address.state = a.region;
    if (a.postalCode) address.postalCode = a.postalCode;
    if (a.country) address.country = a.country;
    out.address = [address];
  }
  const contacts: PatientContact[] = [];
  if (c.emergencyContact) {
    const e = c.emergencyContact;
    contacts.push({ relationship: [{ coding: [{ ...codes.EMERGENCY_CONTACT }], text: e.relationship }], name: { text: e.name }, telecom: [phone(e.phone)] });
  }
  if (c.referringPhysician) {
    const r = c.referringPhysician;
    contacts.push({
      relationship: [{ text: 'Referring physician' }],
      name: { text: r.name },
      ...(r.phone ? { telecom: [phone(r.phone, 'work')] } : {}),
      ...(r.practice ? { organization: { display: r.practice } } : {}),
    });
  }
  if (contacts.length > 0) out.contact = contacts;
  if (c.language) {
    const name = languageName(c.language);
    out.communication = [{ language: { coding: [{ system: codes.BCP47, code: c.language, display: name }], text: name }, preferred: true }];
  }
  if (c.familyDoctor) out.generalPractitioner = [{ display: physicianDisplay(c.familyDoctor) }];
  return out;
}

/** Whole mm as cm, exact: 455 → "45.5". */
const cmText = (mm: number): string => `${Math.floor(mm / 10)}${mm % 10 === 0 ? '' : `.${mm % 10}`}`;

function catheterNote(pump: Pump): Annotation | null {
  const parts: string[] = [];
  if (pump.catheterModel) parts.push(`model ${pump.catheterModel}`);
  if (pump.catheterTipLevel) parts.push(`tip at ${pump.catheterTipLevel}`);
  if (pump.catheterLengthMm !== null) parts.push(`implanted length ${cmText(pump.catheterLengthMm)} cm`);
  if (pump.catheterVolumeUl !== null) parts.push(`volume ${decimalText(pump.catheterVolumeUl, 1000)} mL`);
  if (pump.pocketSide) parts.push(`pump pocket ${pump.pocketSide}`);
  return parts.length > 0 ? { text: `Catheter: ${parts.join(', ')}.` } : null;
}

/** Device following US Core Implantable Device: patient, type, UDI when it can be read, serial, status. */
export function deviceResource(ids: ExportIds, pump: Pump, model: DeviceModel | null, patient: RecordPatient): Device {
  const udi = pump.udi ? parseGs1Udi(pump.udi) : null;
  const notes: Annotation[] = [];
  const catheter = catheterNote(pump);
  if (catheter) notes.push(catheter);
  const catalogue = model && model.catalogueNumbers.length === 1 ? model.catalogueNumbers[0] : undefined;
  return {
    resourceType: 'Device',
    id: ids.uuid(deviceKey(pump)),
    meta: { profile: [codes.US_CORE_IMPLANTABLE_DEVICE] },
    // A UDI that is not GS1 is kept as recorded, as an identifier (udiCarrier needs the DI).
    ...(pump.udi && !udi ? { identifier: [{ type: { text: 'UDI as recorded' }, value: pump.udi }] } : {}),
    ...(pump.udi && udi
      ? {
          udiCarrier: [
            { deviceIdentifier: udi.deviceIdentifier, issuer: codes.GS1_ISSUER, jurisdiction: codes.FDA_UDI_JURISDICTION, carrierHRF: pump.udi.trim() },
          ],
        }
      : {}),
    status: pumpStatus(pump),
    ...(pump.status === 'off' ? { statusReason: [codes.STATUS_REASON_OFF] } : {}),
    manufacturer: pump.manufacturer,
    ...(udi?.manufactureDate ? { manufactureDate: udi.manufactureDate } : {}),
    ...(udi?.expirationDate ? { expirationDate: udi.expirationDate } : {}),
    ...(udi?.lotNumber ? { lotNumber: udi.lotNumber } : {}),
    serialNumber: pump.serial,
    deviceName: [{ name: pump.model, type: 'model-name' }],
    ...(catalogue ? { modelNumber: catalogue } : {}),
    type: codes.PUMP_TYPE,
    property: [
      { type: codes.RESERVOIR_VOLUME, valueQuantity: [mlQuantity(pump.reservoirUl)] },
      { type: codes.ALARM_VOLUME, valueQuantity: [mlQuantity(pump.alarmUl)] },
    ],
    patient: ref(ids, patientKey(patient)),
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}

/** Implanted (in place, running or turned off) → active; explanted → inactive (R4 Device.status). */
function pumpStatus(pump: Pump): Device['status'] {
  switch (pump.status) {
    case 'active':
    case 'off':
      return 'active';
    case 'explanted':
      return 'inactive';
  }
  return assertNever(pump.status, 'pump status');
}

export function implantProcedure(ids: ExportIds, pump: Pump, patient: RecordPatient, replaced: Pump | null): Procedure {
  const notes: Annotation[] = [];
  if (replaced) notes.push({ text: `Replacement for pump ${replaced.model} serial ${replaced.serial}, removed in the same procedure.` });
  return {
    resourceType: 'Procedure',
    id: ids.uuid(`Procedure/implant/${pump.id}`),
    status: 'completed',
    code: codes.IMPLANT_PROCEDURE,
    subject: ref(ids, patientKey(patient)),
    performedDateTime: pump.implantDate,
    ...(pump.implantingPhysician ? { performer: [{ actor: { display: pump.implantingPhysician } }] } : {}),
    ...recorderRef(pump.recordedBy),
    focalDevice: [{ action: codes.ACTION_IMPLANTED, manipulated: ref(ids, deviceKey(pump)) }],
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}

export const REMOVAL_REASON_TEXT: Record<RemovalReason, string> = {
  battery_end_of_life: 'Battery end of life',
  infection: 'Infection',
  lack_of_efficacy: 'Lack of efficacy',
  therapy_no_longer_needed: 'Therapy no longer needed',
  patient_request: 'Patient request',
  catheter_complication: 'Catheter complication',
  granuloma: 'Granuloma',
  other: 'Other',
};

const DISPOSITION_TEXT: Record<Disposition, string> = {
  returned_to_manufacturer: 'returned to the manufacturer',
  discarded: 'discarded',
  kept: 'kept',
  other: 'other',
};

/** The explant: reasons as text-only reason codes, catheter and disposition as notes. */
export function removalProcedure(ids: ExportIds, pump: Pump, removal: Removal, patient: RecordPatient, replacement: Pump | null): Procedure {
  const notes: Annotation[] = [{ text: removal.catheterRemoved ? 'Catheter removed.' : 'Catheter left in place.' }];
  if (removal.disposition) notes.push({ text: `Device ${DISPOSITION_TEXT[removal.disposition]}.` });
  if (replacement) notes.push({ text: `Replaced in the same procedure by ${replacement.model} serial ${replacement.serial}.` });
  if (removal.note) notes.push({ text: removal.note });
  return {
    resourceType: 'Procedure',
    id: ids.uuid(`Procedure/removal/${pump.id}`),
    status: 'completed',
    code: codes.REMOVAL_PROCEDURE,
    subject: ref(ids, patientKey(patient)),
    performedDateTime: removal.date,
    ...(removal.clinician ? { performer: [{ actor: { display: removal.clinician } }] } : {}),
    ...recorderRef(removal.recordedBy),
    reasonCode: removal.reasons.map((r) => ({ text: REMOVAL_REASON_TEXT[r] })),
    focalDevice: [{ action: codes.ACTION_REMOVED, manipulated: ref(ids, deviceKey(pump)) }],
    note: notes,
  };
}
