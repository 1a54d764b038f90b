import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsvBytes, parsedRecords, quoteFreeRecords, type CsvRecord } from './read';

const parse = (text: string | Uint8Array, columns = ['a', 'b']) => parseCsvBytes('f.csv', typeof text === 'string' ? Buffer.from(text) : text, columns);

describe('reading CSV text', () => {
  it('gives each row its physical line, skipping blank lines and all-empty rows', () => {
    const r = parse('a,b\n\n1,2\n , \n"x\ny",3\n4,5\n\n\n');
    expect(r.issues).toEqual([]);
    expect(r.rows).toEqual([
      { line: 3, values: { a: '1', b: '2' } },
      { line: 5, values: { a: 'x\ny', b: '3' } },
      { line: 7, values: { a: '4', b: '5' } },
    ]);
  });

  it('reads every value as written, repeated or not, past the number of values a column keeps once', () => {
    // Column a repeats a few values; column b never repeats (more distinct values than are kept once).
    const n = 70_000;
    const lines = ['a,b'];
    for (let i = 0; i < n; i++) lines.push(`v${i % 7},u${i}`);
    const r = parse(lines.join('\n'));
    expect(r.issues).toEqual([]);
    expect(r.rows).toHaveLength(n);
    for (let i = 0; i < n; i++) {
      const row = r.rows[i]!;
      if (row.line !== i + 2 || row.values.a !== `v${i % 7}` || row.values.b !== `u${i}`) {
        expect(row).toEqual({ line: i + 2, values: { a: `v${i % 7}`, b: `u${i}` } });
      }
    }
  });

  it('accepts CR-only and CRLF line ends and a BOM, and trims values', () => {
    expect(parse('\uFEFFa,b\r1, 2 \r3,4').rows).toEqual([
      { line: 2, values: { a: '1', b: '2' } },
      { line: 3, values: { a: '3', b: '4' } },
    ]);
    expect(parse('\uFEFFa,b\r\n"1,5", "2"\r\n').rows).toEqual([{ line: 2, values: { a: '1,5', b: '2' } }]);
  });

  it('tolerates stray empty trailing columns (a spreadsheet artefact) but not stray values', () => {
    expect(parse('a,b,,\n1,2,,\n3,4\n').issues).toEqual([]);
    expect(parse('a,b,,\n1,2,,x\n').issues).toEqual([{ file: 'f.csv', line: 2, column: '(row)', message: 'has 4 values but the header has 2 columns' }]);
  });

  it('matches header names ignoring case and spaces, in any order, and reports duplicates', () => {
    expect(parse(' B ,A\n1,2\n').rows).toEqual([{ line: 2, values: { b: '1', a: '2' } }]);
    expect(parse('a,b,a\n').issues).toEqual([{ file: 'f.csv', line: 1, column: 'a', message: 'appears twice in the header' }]);
  });

  it('reads an empty file (or one with only a BOM) as no rows', () => {
    expect(parse('')).toEqual({ readable: true, rows: [], issues: [] });
    expect(parse('\uFEFF\n\n')).toEqual({ readable: true, rows: [], issues: [] });
  });

  it('finds the first line that is not UTF-8', () => {
    const r = parse(Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0x33, 0x2c, 0xe9, 0x0a])]));
    expect(r).toMatchObject({ readable: false, issues: [{ line: 3, column: '(file)' }] });
  });
});

describe('the quote-free fast path', () => {
  it('reads every quote-free text exactly as csv-parse does (its line ends made LF)', () => {
    const alphabet = ['a', 'é', '1', ',', ',', ' ', ' ', '\t', '\f', '\v', '\u00a0', '\n', '\n', '\n', '\r\n', '\r\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        const fast: CsvRecord[] = [];
        const general: CsvRecord[] = [];
        quoteFreeRecords(text, (r) => fast.push(r));
        expect(parsedRecords('f.csv', text.replace(/\r\n/g, '\n'), (r) => general.push(r))).toBeNull();
        expect(fast).toEqual(general);
      }),
      { numRuns: 3000 },
    );
  });

  it('is used only for text without a quote character', () => {
    const text = 'a,b\n"1\n2",3\n';
    expect(parseCsvBytes('f.csv', Buffer.from(text), ['a', 'b']).rows).toEqual([{ line: 2, values: { a: '1\n2', b: '3' } }]);
  });

  it('reads CRLF and mixed line ends, and a lone CR as a line end, with the same line numbers', () => {
    const rows = [
      { line: 2, values: { a: '1', b: '2' } },
      { line: 4, values: { a: '3', b: '4' } },
      { line: 5, values: { a: '5', b: '6' } },
    ];
    expect(parse('a,b\r\n1,2 \r\n\r\n3,4\n5,6\r\n').rows).toEqual(rows);
    expect(parse('a,b\r\n1,2 \r\n\r3,4\n5,6\r\n').rows).toEqual(rows);
  });
});
