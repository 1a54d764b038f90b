/**
 * What text may contain: the one place that says it (docs/security.md, "Input").
 *
 * Every text a person types, in every request, is checked here through the contract's schemas, so
 * the app, the browser shell and the CSV import refuse alike.
 *
 * - `line`: one line of text (search terms, filters, a signature's meaning, a UDI). No control
 *   characters at all: no NUL, tab, line feed or carriage return (U+0000–U+001F), no DEL or C1
 *   control (U+007F–U+009F), no bidirectional embedding, override or isolate (U+202A–U+202E,
 *   U+2066–U+2069) or direction mark (U+200E, U+200F, U+061C), no unpaired surrogate.
 * - `name`: a `line` that names or identifies someone or something (patient names, MRN, serial,
 *   lot, clinician, usernames, drug and device names…) and so also must not begin with = + - @:
 *   a spreadsheet opening an export would run it as a formula.
 * - `multiline`: free text (notes, allergies, plans, reasons): as `line`, but tabs and line breaks
 *   are kept. Line breaks are stored as LF: CRLF and a lone CR become LF (see `normaliseLineBreaks`).
 *   It may begin with = + - @ ("-2 mL over the plan"); every CSV meant for spreadsheets defuses it.
 */

export type TextKind = 'line' | 'name' | 'multiline';

/** Characters a name or identifier may not begin with: a spreadsheet runs them as a formula. */
export const FORMULA_START = /^[=+\-@]/;

export const FORMULA_MESSAGE = 'must not begin with =, +, - or @ (a spreadsheet would run it as a formula)';

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

const isBidiControl = (c: number) => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c;

/** CRLF and lone CR as LF: how free text stores its line breaks. */
export const normaliseLineBreaks = (s: string): string => (s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s);

/** Fast path: text made only of printable ASCII (and, in free text, tabs and LFs) has nothing to refuse. */
const PLAIN_LINE = /^[\x20-\x7e]*$/;
const PLAIN_MULTILINE = /^[\x20-\x7e\t\n]*$/;

/**
 * The first thing `value` may not contain as text of this kind, as the end of a sentence that starts
 * with the field's name ("must not contain control characters (U+0000 at character 6)"), or null.
 * Positions count characters from 1, as a person counts them.
 */
export function textProblem(value: string, kind: TextKind): string | null {
  if (kind === 'name' && FORMULA_START.test(value)) return FORMULA_MESSAGE;
  if ((kind === 'multiline' ? PLAIN_MULTILINE : PLAIN_LINE).test(value)) return null;
  let position = 0;
  for (let i = 0; i < value.length; i++) {
    position++;
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair: one character
        continue;
      }
      return `must not contain a broken character (an unpaired surrogate ${hex(c)} at character ${position})`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `must not contain a broken character (an unpaired surrogate ${hex(c)} at character ${position})`;
    if (c < 0x20) {
      if (kind === 'multiline' && (c === 0x09 || c === 0x0a)) continue;
      if (c === 0x0a || c === 0x0d) return `must be on one line (a line break, ${hex(c)}, at character ${position})`;
      return `must not contain control characters (${hex(c)} at character ${position})`;
    }
    if (c >= 0x7f && c <= 0x9f) return `must not contain control characters (${hex(c)} at character ${position})`;
    if (isBidiControl(c)) return `must not contain text-direction controls (${hex(c)} at character ${position})`;
  }
  return null;
}

/** Characters `JSON.stringify` leaves as they are that would change how the rest of a message reads. */
const UNSEEN = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `value` in double quotes for an error message, with every character the rules refuse written as
 * an escape (`"Oka\\u0000for"`, `"T10\\u202e"`), so quoting hostile text cannot hide or reorder
 * the message around it (in a terminal, a log or the console).
 */
export const quoteText = (value: string): string =>
  JSON.stringify(value).replace(UNSEEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
