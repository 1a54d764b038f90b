/**
 * The forms' words for what main and the shared schemas name by path: field labels for messages
 * shown away from their field (the refill preview), human choice prompts instead of "must be one of
 * turned_off, …", and main's field names mapped to the inputs the form has.
 */

/** One schema issue, as zod gives it. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** "Choose what was done: turned off, drained or weaned": the prompt and the choices as the select shows them. */
export function choiceMessage(prompt: string, options: readonly { label: string }[]): string {
  return `${prompt}: ${orList(options.map((o) => o.label.charAt(0).toLowerCase() + o.label.slice(1)))}`;
}

/**
 * main's name for a field → the form's input for it. main checks volumes in µL (`addedUl`) and
 * prescriptions by drug (`drugs.0.name`), the forms take mL and a row per drug; without this a
 * refusal's field matches no input and nothing is outlined.
 */
export type FieldMap = (field: string) => string;

/** The names every form shares: µL volumes are the mL inputs (`addedUl` → `addedMl`, `replacement.alarmUl` → `replacement.alarmMl`). */
export const commonField: FieldMap = (field) => field.replace(/(^|\.)([A-Za-z]+)Ul($|\.)/, '$1$2Ml$3');

/** The refill form: a drug's name or unit belongs to its row (the name under the row, the unit with the concentration). */
export const refillField: FieldMap = (field) =>
  commonField(field)
    .replace(/^drugs\.(\d+)\.name$/, 'drugs.$1.drug')
    .replace(/^drugs\.(\d+)\.unit$/, 'drugs.$1.concentration')
    .replace(/^extraVolumeUlPerDay$/, 'extraMlPerDay');

/**
 * The dose-change form has one dose input: whatever main says about the changed prescription
 * (a drug's dose or concentration, the daily volume it makes, its unit) is about that dose.
 */
export const doseChangeField: FieldMap = (field) => (/^drugs(\.|$)/.test(field) ? 'dailyDose' : commonField(field));

/** The refill form's labels by field path, without units (the message usually carries them). */
export function refillLabel(path: readonly PropertyKey[], drugs: readonly string[]): string {
  const [head, index, sub] = path.map(String);
  switch (head) {
    case 'date':
      return 'Date';
    case 'withdrawnMl':
      return 'Withdrawn residual';
    case 'addedMl':
      return 'Volume added';
    case 'mode':
      return 'Mode';
    case 'extraMlPerDay':
      return 'Extra volume per day';
    case 'clinician':
      return 'Clinician';
    case 'note':
      return 'Note';
    case 'drugs': {
      const drug = index === undefined ? undefined : drugs[Number(index)];
      if (drug === undefined) return 'Drugs in the reservoir';
      const what: Record<string, string> = { concentration: 'concentration', dailyDose: 'daily dose', lot: 'lot', expiryDate: 'expiry' };
      return sub && what[sub] ? `${drug} ${what[sub]}` : drug;
    }
  }
  return 'Input';
}

/** The first schema issue of a refill in words for the preview: "Volume added: is required (mL)". */
export function refillPreviewProblem(issues: readonly Issue[], drugs: readonly string[]): string {
  const first = issues[0];
  return first ? `${refillLabel(first.path, drugs)}: ${first.message}` : 'Complete the form to see the preview.';
}
