import { describe, expect, it } from 'vitest';
import { choosePdfPrinter } from './pdf-printer';

const electronPdf = async () => Buffer.from('%PDF-electron');

describe('choosePdfPrinter: which Chromium prints a report PDF from the command line', () => {
  it('under plain Node: headless Chromium through playwright-core', () => {
    expect(choosePdfPrinter({ node: '20.19.0' } as { electron?: string }, undefined)).toEqual({ kind: 'chromium' });
    expect(choosePdfPrinter(process.versions, undefined)).toEqual({ kind: 'chromium' });
  });

  it("inside Electron (the installed app): Electron's printToPDF, never playwright-core", async () => {
    const choice = choosePdfPrinter({ electron: '41.10.0' }, electronPdf);
    expect(choice.kind).toBe('electron');
    if (choice.kind !== 'electron') throw new Error('expected electron');
    expect((await choice.print({} as never)).toString()).toBe('%PDF-electron');
  });

  it('inside Electron without the print window: refused in words, not a playwright-core load that the installers cannot satisfy', () => {
    const choice = choosePdfPrinter({ electron: '41.10.0' }, undefined);
    expect(choice).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/CSV, Excel or JSON/) });
  });
});
