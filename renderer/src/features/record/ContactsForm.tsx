import { useRef, useState, type FormEvent } from 'react';
import { LANGUAGES, PHONE_USES, PHONE_USE_LABELS, contactLines, languageName, type PatientContacts, type PhoneUse } from '../../../../shared/contract/contacts';
import { patientUpdateInput, type Patient, type PatientUpdateInput } from '../../../../shared/contract/patients';
import { call } from '../../api/client';
import { useCan } from '../accounts/session';
import { FormCard, InputField, SelectField, useChanged } from '../forms/fields';
import { useSubmit } from '../forms/submit';

/** The contacts as typed: one number per use, each part of an address or a person as text. */
export interface ContactsDraft {
  phones: Record<PhoneUse, string>;
  address: { line1: string; line2: string; city: string; region: string; postalCode: string; country: string };
  emergency: { name: string; relationship: string; phone: string };
  referring: { name: string; practice: string; phone: string };
  familyDoctor: { name: string; practice: string; phone: string };
  language: string;
}

export function contactsDraft(c: PatientContacts): ContactsDraft {
  const phone = (use: PhoneUse) => c.phones.find((p) => p.use === use)?.number ?? '';
  const a = c.address;
  const person = (p: { name: string; practice: string | null; phone: string | null } | null) => ({ name: p?.name ?? '', practice: p?.practice ?? '', phone: p?.phone ?? '' });
  return {
    phones: { mobile: phone('mobile'), home: phone('home'), work: phone('work') },
    address: { line1: a?.lines[0] ?? '', line2: a?.lines.slice(1).join(', ') ?? '', city: a?.city ?? '', region: a?.region ?? '', postalCode: a?.postalCode ?? '', country: a?.country ?? '' },
    emergency: { name: c.emergencyContact?.name ?? '', relationship: c.emergencyContact?.relationship ?? '', phone: c.emergencyContact?.phone ?? '' },
    referring: person(c.referringPhysician),
    familyDoctor: person(c.familyDoctor),
    language: c.language ?? '',
  };
}

const filled = (o: Record<string, string>) => Object.values(o).some((v) => v.trim() !== '');

/** The contacts as the contract takes them: a part left wholly blank is none; a part begun is sent, so main names what it lacks. */
export function contactsInput(d: ContactsDraft): Record<string, unknown> {
  const a = d.address;
  return {
    phones: PHONE_USES.filter((u) => d.phones[u].trim() !== '').map((use) => ({ use, number: d.phones[use] })),
    address: filled(a) ? { lines: [a.line1, a.line2].filter((l, i) => i === 0 || l.trim() !== ''), city: a.city, region: a.region, postalCode: a.postalCode, country: a.country } : null,
    emergencyContact: filled(d.emergency) ? d.emergency : null,
    referringPhysician: filled(d.referring) ? d.referring : null,
    familyDoctor: filled(d.familyDoctor) ? d.familyDoctor : null,
    language: d.language === '' ? null : d.language,
  };
}

/** Edits the patient's contacts (sent whole with the version read, through `patients.update`). */
function ContactsForm({ patient, version, onSaved, onCancel }: { patient: Patient; version?: number; onSaved(p: Patient): void; onCancel(): void }) {
  const [draft, setDraft] = useState(() => contactsDraft(patient.contacts));
  const [basedOn, setBasedOn] = useState(version);
  const { errors, formError, saving, setSaving, setErrors, setFormError, check, refused } = useSubmit({ onConflict: (c) => setBasedOn(c.version) });
  const changed = useChanged(draft);
  const fid = 'edit-contacts';
  const field = (name: string, label: string, value: string, onChange: (v: string) => void) => (
    <InputField formId={fid} errors={errors} name={name} label={label} value={value} onChange={onChange} />
  );
  const languages = LANGUAGES.map((l) => ({ value: l.tag, label: l.name }));
  if (draft.language && !languages.some((l) => l.value === draft.language)) languages.unshift({ value: draft.language, label: languageName(draft.language) });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { id: patient.id, contacts: contactsInput(draft), basedOn };
    if (!check(patientUpdateInput.safeParse(input))) return;
    setErrors({});
    setFormError(null);
    setSaving(true);
    const r = await call('patients.update', input as PatientUpdateInput);
    setSaving(false);
    if (r.ok) onSaved(r.value);
    else refused(r.error);
  }

  const sentPhones = PHONE_USES.filter((u) => draft.phones[u].trim() !== '');
  const set = <K extends keyof ContactsDraft>(k: K, v: ContactsDraft[K]) => setDraft({ ...draft, [k]: v });
  return (
    <FormCard id={fid} title="Edit contacts" error={formError} saving={saving} submitLabel="Save contacts" onSubmit={(e) => void submit(e)} onCancel={onCancel} changed={changed} discardWhat="edit of the contacts">
      <fieldset>
        <legend>Phone numbers</legend>
        {PHONE_USES.map((u) => (
          // Main names a number by its place among those sent (the blank ones are not).
          <span key={u}>{field(`contacts.phones.${sentPhones.indexOf(u)}.number`, `${PHONE_USE_LABELS[u]} phone`, draft.phones[u], (v) => set('phones', { ...draft.phones, [u]: v }))}</span>
        ))}
      </fieldset>
      <fieldset>
        <legend>Address</legend>
        {field('contacts.address.lines.0', 'Street', draft.address.line1, (v) => set('address', { ...draft.address, line1: v }))}
        {field('contacts.address.lines.1', 'Street, second line', draft.address.line2, (v) => set('address', { ...draft.address, line2: v }))}
        {field('contacts.address.city', 'City', draft.address.city, (v) => set('address', { ...draft.address, city: v }))}
        {field('contacts.address.region', 'State or region', draft.address.region, (v) => set('address', { ...draft.address, region: v }))}
        {field('contacts.address.postalCode', 'Postal code', draft.address.postalCode, (v) => set('address', { ...draft.address, postalCode: v }))}
        {field('contacts.address.country', 'Country', draft.address.country, (v) => set('address', { ...draft.address, country: v }))}
      </fieldset>
      <fieldset>
        <legend>Emergency contact</legend>
        {field('contacts.emergencyContact.name', 'Emergency contact name', draft.emergency.name, (v) => set('emergency', { ...draft.emergency, name: v }))}
        {field('contacts.emergencyContact.relationship', 'Relationship', draft.emergency.relationship, (v) => set('emergency', { ...draft.emergency, relationship: v }))}
        {field('contacts.emergencyContact.phone', 'Emergency contact phone', draft.emergency.phone, (v) => set('emergency', { ...draft.emergency, phone: v }))}
      </fieldset>
      <fieldset>
        <legend>Referring physician</legend>
        {field('contacts.referringPhysician.name', 'Referring physician', draft.referring.name, (v) => set('referring', { ...draft.referring, name: v }))}
        {field('contacts.referringPhysician.practice', 'Referring practice', draft.referring.practice, (v) => set('referring', { ...draft.referring, practice: v }))}
        {field('contacts.referringPhysician.phone', 'Referring physician phone', draft.referring.phone, (v) => set('referring', { ...draft.referring, phone: v }))}
      </fieldset>
      <fieldset>
        <legend>Family doctor</legend>
        {field('contacts.familyDoctor.name', 'Family doctor', draft.familyDoctor.name, (v) => set('familyDoctor', { ...draft.familyDoctor, name: v }))}
        {field('contacts.familyDoctor.practice', 'Family doctor practice', draft.familyDoctor.practice, (v) => set('familyDoctor', { ...draft.familyDoctor, practice: v }))}
        {field('contacts.familyDoctor.phone', 'Family doctor phone', draft.familyDoctor.phone, (v) => set('familyDoctor', { ...draft.familyDoctor, phone: v }))}
      </fieldset>
      <SelectField formId={fid} errors={errors} name="contacts.language" label="Preferred language" value={draft.language} onChange={(v) => set('language', v)} options={languages} placeholder="Not recorded" />
    </FormCard>
  );
}

/** The record's Contacts: what is recorded, and an "Edit contacts" button with the form in place. */
export function PatientContactsSection({ patient, version, onSaved }: { patient: Patient; version?: number; onSaved(p: Patient): void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const canEdit = useCan('patients.update');
  const lines = contactLines(patient.contacts);
  const close = () => {
    setOpen(false);
    setTimeout(() => button.current?.focus(), 0);
  };
  return (
    <section aria-labelledby="contacts-title" className="patient-contacts">
      <h3 id="contacts-title">Contacts</h3>
      {lines.length === 0 ? (
        <p>No contacts recorded.</p>
      ) : (
        <dl className="details" aria-label="Contacts">
          {lines.map((l) => (
            <div key={l.label}>
              <dt>{l.label}</dt>
              <dd>{l.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {canEdit && (
        <button type="button" className="secondary no-print" ref={button} onClick={() => setOpen(true)} disabled={open} aria-expanded={open}>
          Edit contacts
        </button>
      )}
      {open && (
        <ContactsForm
          patient={patient}
          version={version}
          onCancel={close}
          onSaved={(p) => {
            close();
            onSaved(p);
          }}
        />
      )}
    </section>
  );
}
