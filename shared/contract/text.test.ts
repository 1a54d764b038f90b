import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract } from './index';
import { calendarDate, optionalText, periodDate, text } from './common';
import { FORMULA_MESSAGE, quoteText, textProblem } from './text';

const firstIssue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? null : { path: r.error!.issues[0]!.path.join('.'), message: r.error!.issues[0]!.message };

describe('textProblem: what text may contain', () => {
  it('refuses NUL and every other C0 control in one-line text, saying which and where', () => {
    expect(textProblem('Okafor\u0000', 'line')).toBe('must not contain control characters (U+0000 at character 7)');
    expect(textProblem('a\u001bb', 'name')).toBe('must not contain control characters (U+001B at character 2)');
    expect(textProblem('a\tb', 'line')).toBe('must not contain control characters (U+0009 at character 2)');
    expect(textProblem('two\nlines', 'name')).toBe('must be on one line (a line break, U+000A, at character 4)');
    expect(textProblem('two\rlines', 'line')).toBe('must be on one line (a line break, U+000D, at character 4)');
    for (let c = 0; c < 0x20; c++) expect(textProblem(`x${String.fromCharCode(c)}`, 'line'), `U+${c.toString(16)}`).not.toBeNull();
  });

  it('refuses DEL, C1 controls, bidirectional overrides, isolates and marks, and unpaired surrogates in every kind', () => {
    const refused = [0x7f, 0x80, 0x85, 0x9f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c];
    for (const kind of ['line', 'name', 'multiline'] as const) {
      for (const c of refused) expect(textProblem(`ab${String.fromCharCode(c)}`, kind), `${kind} U+${c.toString(16)}`).toMatch(/at character 3\)$/);
      expect(textProblem('ab\ud800c', kind)).toBe('must not contain a broken character (an unpaired surrogate U+D800 at character 3)');
      expect(textProblem('ab\udc00', kind)).toMatch(/unpaired surrogate U\+DC00 at character 3/);
      expect(textProblem('a\u0000', kind)).toMatch(/U\+0000 at character 2/);
    }
    // The classic "Trojan source" name: an override that makes "gpj.exe" read "exe.jpg".
    expect(textProblem('Smith\u202Egpj.exe', 'name')).toBe('must not contain text-direction controls (U+202E at character 6)');
  });

  it('counts characters as a person does: an emoji or an accented letter is one', () => {
    expect(textProblem('😀é\u0000', 'line')).toBe('must not contain control characters (U+0000 at character 3)');
  });

  it('keeps what clinics write: accents, other scripts, emoji, and in free text tabs and line breaks', () => {
    for (const ok of ["Zoë O'Brien-Núñez", 'Łukasz Żółć', '山田 太郎', 'محمد', 'שלום', '😀 smile', 'T10', '+H123ABC (HIBCC UDI, one line)']) {
      expect(textProblem(ok, 'line'), ok).toBeNull();
    }
    expect(textProblem('line one\nline two\tindented', 'multiline')).toBeNull();
    expect(textProblem('-2 mL less than planned', 'multiline')).toBeNull();
    expect(textProblem('=SUM(A1)', 'line')).toBeNull(); // a search term or UDI: not a name
  });

  it('refuses names and identifiers beginning with = + - or @, and says why', () => {
    for (const s of ['=HYPERLINK("http://x")', '+1', '-5', '@SUM(A1)']) expect(textProblem(s, 'name')).toBe(FORMULA_MESSAGE);
    expect(FORMULA_MESSAGE).toBe('must not begin with =, +, - or @ (a spreadsheet would run it as a formula)');
    expect(textProblem('Anne-Marie', 'name')).toBeNull();
    expect(textProblem("O'Neil", 'name')).toBeNull();
  });

  it('agrees with a character-by-character definition on random text', () => {
    const bad = (c: number, kind: string) =>
      (c < 0x20 && !(kind === 'multiline' && (c === 9 || c === 10))) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('line' as const, 'multiline' as const), (s, kind) => {
        const expected = [...s].some((ch) => {
          const c = ch.codePointAt(0)!;
          return bad(c, kind) || (c >= 0xd800 && c <= 0xdfff);
        });
        expect(textProblem(s, kind) !== null).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('quoteText: hostile text quoted in a message', () => {
  it('escapes every control, override and broken character, so the message around it reads as written', () => {
    expect(quoteText('Smith\u202Egpj.exe')).toBe('"Smith\\u202egpj.exe"');
    expect(quoteText('a\u0000b\u007f\u0085\u2066\u200f\ud800')).toBe('"a\\u0000b\\u007f\\u0085\\u2066\\u200f\\ud800"');
    expect(quoteText('Zoë "Z" O\'Brien')).toBe('"Zoë \\"Z\\" O\'Brien"');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => {
        const quoted = quoteText(s);
        expect(textProblem(quoted, 'line')).toBeNull();
        expect(JSON.parse(quoted)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the contract applies it to every text field', () => {
  it('one-line text and names: the field is named with the problem', () => {
    const r = contract['patients.create'].input.safeParse({ mrn: 'A-1', familyName: 'Oka\u0000for', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['spasticity'] });
    expect(firstIssue(r)).toEqual({ path: 'familyName', message: 'must not contain control characters (U+0000 at character 4)' });
    const mrn = contract['patients.create'].input.safeParse({ mrn: '-1', familyName: 'Okafor', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['spasticity'] });
    expect(firstIssue(mrn)).toEqual({ path: 'mrn', message: FORMULA_MESSAGE });
    const user = contract['users.create'].input.safeParse({ username: '@admin', displayName: 'A', role: 'staff', password: 'correct horse battery' });
    expect(firstIssue(user)).toEqual({ path: 'username', message: FORMULA_MESSAGE });
    const display = contract['users.create'].input.safeParse({ username: 'ann', displayName: '=cmd', role: 'staff', password: 'correct horse battery' });
    expect(firstIssue(display)).toEqual({ path: 'displayName', message: FORMULA_MESSAGE });
  });

  it('free text keeps tabs and line breaks, stores CRLF and a lone CR as LF, and may begin with - or =', () => {
    const note = text(4000, 'multiline');
    expect(note.parse('first\r\nsecond\rthird\n\tfourth')).toBe('first\nsecond\nthird\n\tfourth');
    expect(note.parse('-2 mL short')).toBe('-2 mL short');
    expect(firstIssue(note.safeParse('ok\u0000'))).toEqual({ path: '', message: 'must not contain control characters (U+0000 at character 3)' });
    expect(optionalText(100, 'multiline').parse('  \r\n ')).toBeUndefined();
    // A line break counts once, however it was sent.
    expect(text(5, 'multiline').parse('ab\r\ncd')).toBe('ab\ncd');
  });

  it('amendments, searches and filters are checked too', () => {
    const amend = contract['entries.amend'].input.safeParse({ kind: 'refill', id: 1, reason: 'typo', password: 'x', changes: { note: 'a\u202Eb' } });
    expect(firstIssue(amend)).toEqual({ path: 'changes.note', message: 'must not contain text-direction controls (U+202E at character 2)' });
    const search = contract['patients.list'].input.safeParse({ query: 'Ok\u0000' });
    expect(firstIssue(search)?.path).toBe('query');
    const audit = contract['audit.list'].input.safeParse({ username: 'x\u0085' });
    expect(firstIssue(audit)?.path).toBe('username');
  });
});

describe('dates the arithmetic can handle', () => {
  it('record dates are years 1000 to 9999; period ends and as-of dates 1900-01-01 to 2199-12-31', () => {
    expect(calendarDate.safeParse('0999-12-31').success).toBe(false);
    expect(calendarDate.safeParse('0000-01-01').success).toBe(false);
    expect(calendarDate.safeParse('1000-01-01').success).toBe(true);
    expect(calendarDate.safeParse('2025-02-29').success).toBe(false);
    expect(periodDate.safeParse('2199-12-31').success).toBe(true);
    expect(firstIssue(periodDate.safeParse('9999-12-31'))?.message).toBe('must be a date from 1900-01-01 to 2199-12-31');
    expect(firstIssue(contract['audit.list'].input.safeParse({ to: '9999-12-31' }))).toEqual({ path: 'to', message: 'must be a date from 1900-01-01 to 2199-12-31' });
    expect(firstIssue(contract['audit.list'].input.safeParse({ to: '2025-13-45' }))).toEqual({ path: 'to', message: 'must be a real date written YYYY-MM-DD' });
    expect(firstIssue(contract['worklist.get'].input.safeParse({ asOf: '9999-12-31' }))?.path).toBe('asOf');
  });
});
