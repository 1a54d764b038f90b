import { describe, expect, it } from 'vitest';
import { parseEvents } from './changes';

describe('parseEvents (the live-update stream)', () => {
  it('answers each complete event once, skips comments, and keeps a part-received one for the next chunk', () => {
    const got: [string, string][] = [];
    const emit = (event: string, data: string) => got.push([event, data]);
    let rest = parseEvents(': connected\nretry: 3000\n\nevent: change\ndata: {"kind":"record","patientId":3,"pumpId":4}\n\nevent: cha', emit);
    expect(got).toEqual([['change', '{"kind":"record","patientId":3,"pumpId":4}']]);
    rest = parseEvents(`${rest}nge\ndata: {"kind":"patient","patientId":9,"pumpId":null}\n\n: keep-alive\n\n`, emit);
    expect(rest).toBe('');
    expect(got.map(([, d]) => JSON.parse(d).patientId)).toEqual([3, 9]);
  });
});
