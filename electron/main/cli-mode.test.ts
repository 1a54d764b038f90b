import { describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../cli/args';
import { cliStart, runCommandLine, type CliBundle, type CliModeDeps } from './cli-mode';

/** The CLI's arguments when the start is a command line, else null (the console); a refused start throws. */
function cliArguments(argv: readonly string[], defaultApp: boolean): string[] | null {
  const start = cliStart(argv, defaultApp);
  if (start.kind === 'refused') throw new Error(start.message);
  return start.kind === 'command' ? start.args : null;
}
const packaged = (...args: string[]) => cliArguments(['/opt/Reservoir/reservoir', ...args], false);

describe('cliArguments: which starts of the app are a command line', () => {
  it('a command name first runs the CLI with every argument (Reservoir report …, reservoir worklist …)', () => {
    expect(packaged('report', 'activity', '--db', 'c.db', '--format', 'csv', '--out', 'a.csv')).toEqual(['report', 'activity', '--db', 'c.db', '--format', 'csv', '--out', 'a.csv']);
    expect(packaged('worklist', '--db', 'c.db')).toEqual(['worklist', '--db', 'c.db']);
    expect(packaged('help', 'report')).toEqual(['help', 'report']);
  });

  it('a misspelt command is the CLI too (it answers "unknown command", exit 2), never a window', () => {
    expect(packaged('wrklist')).toEqual(['wrklist']);
  });

  it('--cli marks a command line explicitly; what follows goes to the CLI as it is', () => {
    expect(packaged('--cli', 'worklist', '--db', 'c.db')).toEqual(['worklist', '--db', 'c.db']);
    expect(packaged('--cli')).toEqual([]);
    expect(packaged('--cli', '--db', 'x')).toEqual(['--db', 'x']);
    expect(packaged('--help')).toEqual(['--help']);
    expect(packaged('-h')).toEqual(['-h']);
  });

  it("the console's own starts open the console", () => {
    expect(packaged()).toBeNull();
    expect(packaged('--db', 'clinic.db')).toBeNull();
    expect(packaged('--demo')).toBeNull();
    expect(packaged('--export-recovery-key', 'key.txt')).toBeNull();
    expect(packaged('-psn_0_12345')).toBeNull();
  });

  it("a launcher's engine switches before the command are skipped (and do not reach the CLI)", () => {
    expect(packaged('--ozone-platform=headless', '--disable-gpu', 'worklist', '--db', 'c.db')).toEqual(['worklist', '--db', 'c.db']);
    expect(packaged('--disable-dev-shm-usage', '--cli', 'backup', '--db', 'c.db')).toEqual(['backup', '--db', 'c.db']);
    expect(packaged('--ozone-platform=headless', '--disable-gpu')).toBeNull();
  });

  it('in development (electron [switches] dist-electron/main.cjs …) the main script is not a command', () => {
    expect(cliArguments(['/x/electron', 'dist-electron/main.cjs', '--db', 'c.db'], true)).toBeNull();
    expect(cliArguments(['/x/electron', '--enable-logging', 'dist-electron/main.cjs', '--db', 'c.db'], true)).toBeNull();
    expect(cliArguments(['/x/electron', '--enable-logging', 'dist-electron/main.cjs', 'worklist', '--db', 'c.db'], true)).toEqual(['worklist', '--db', 'c.db']);
    expect(cliArguments(['/x/electron', '.', '--cli', '--help'], true)).toEqual(['--help']);
  });
});

describe('a command line with the sandbox turned off is refused (Electron checklist: sandbox on)', () => {
  const start = (...args: string[]) => cliStart(['/opt/Reservoir/reservoir', ...args], false);

  it.each([
    ['before the command', ['--no-sandbox', 'worklist', '--db', 'c.db']],
    ['before --cli', ['--no-sandbox', '--cli', 'backup', '--db', 'c.db']],
    ['after the launcher switches', ['--ozone-platform=headless', '--disable-gpu', '--no-sandbox', 'report', 'activity']],
    ['among the command arguments (Chromium reads it anywhere)', ['report', 'activity', '--no-sandbox', '--db', 'c.db']],
    ['after --cli', ['--cli', 'serve', '--db', 'c.db', '--no-sandbox']],
    ['with a value', ['worklist', '--no-sandbox=1']],
    ['another sandbox switch', ['--disable-setuid-sandbox', 'worklist']],
    ['in development, before the main script', ['--no-sandbox', 'dist-electron/main.cjs', 'worklist']],
  ])('%s: refused, exit status 2 (a usage error), with a clear message', (_where, args) => {
    const argv = _where.startsWith('in development') ? ['/x/electron', ...args] : ['/opt/Reservoir/reservoir', ...args];
    const r = cliStart(argv, _where.startsWith('in development'));
    expect(r.kind).toBe('refused');
    expect(r.kind === 'refused' && r.exitCode).toBe(2);
    expect(r.kind === 'refused' && r.message).toMatch(/^reservoir: --(no|disable-setuid)-sandbox is refused: the command line runs with Chromium's sandbox on.*not root/);
  });

  it('without such a switch the command runs as before', () => {
    expect(start('worklist', '--db', 'c.db')).toEqual({ kind: 'command', args: ['worklist', '--db', 'c.db'] });
    expect(start()).toEqual({ kind: 'console' });
  });
});

describe('runCommandLine: the exit code passes through', () => {
  function setup(mainAsync: CliBundle['mainAsync']) {
    const order: string[] = [];
    const processIo: CliIo = { out: () => {}, err: () => {}, now: () => 0 };
    const pdf = vi.fn(async () => Buffer.from('%PDF'));
    const bundle: CliBundle = { mainAsync: vi.fn(mainAsync), restrictUmask: vi.fn(() => void order.push('umask')), useNativeBinding: vi.fn(), processIo };
    const errors: string[] = [];
    const deps: CliModeDeps = {
      load: () => bundle,
      pdf,
      nativeBinding: '/dev/.electron-native/better_sqlite3.node',
      flush: async () => void order.push('flush'),
      exit: (code) => void order.push(`exit ${code}`),
      err: (t) => void errors.push(t),
    };
    return { deps, bundle, order, errors, pdf, processIo };
  }

  it.each([0, 1, 2])('the CLI answers %i: the app exits with %i, after stdout and stderr are flushed', async (answer) => {
    const s = setup(async () => answer);
    await expect(runCommandLine(['worklist', '--db', 'c.db'], s.deps)).resolves.toBe(answer);
    expect(s.order).toEqual(['umask', 'flush', `exit ${answer}`]);
    expect(s.bundle.mainAsync).toHaveBeenCalledWith(['worklist', '--db', 'c.db'], expect.objectContaining({ out: s.processIo.out, err: s.processIo.err }));
  });

  it("hands the CLI Electron's PDF printer (io.pdf), so report PDFs need no other browser", async () => {
    const s = setup(async () => 0);
    await runCommandLine(['report'], s.deps);
    const io = vi.mocked(s.bundle.mainAsync).mock.calls[0]![1]!;
    expect(io.pdf).toBe(s.pdf);
  });

  it("gives the CLI Electron's own build of the database driver (development), before the command runs", async () => {
    const s = setup(async () => 0);
    await runCommandLine(['worklist'], s.deps);
    expect(s.bundle.useNativeBinding).toHaveBeenCalledWith('/dev/.electron-native/better_sqlite3.node');
    expect(vi.mocked(s.bundle.useNativeBinding).mock.invocationCallOrder[0]).toBeLessThan(vi.mocked(s.bundle.mainAsync).mock.invocationCallOrder[0]!);
  });

  it('a CLI bundle that cannot load: exit 1 with the reason on stderr', async () => {
    const s = setup(async () => 0);
    s.deps.load = () => {
      throw new Error("Cannot find module './cli.cjs'");
    };
    await expect(runCommandLine(['worklist'], s.deps)).resolves.toBe(1);
    expect(s.errors.join('')).toMatch(/command line could not start: Cannot find module/);
    expect(s.order).toEqual(['flush', 'exit 1']);
  });
});
