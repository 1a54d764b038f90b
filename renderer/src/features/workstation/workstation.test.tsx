import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { normaliseFingerprint, type WorkstationInfo } from '../../../../shared/contract/workstation';
import { isDesktopApp, ThisWorkstationSection, ThisWorkstationView } from './ThisWorkstationSection';
import { switchQuestion } from './WorkstationForm';
import { WorkstationChoice } from './WorkstationChoice';

const PIN = 'AB:'.repeat(31) + 'CD';
const server = { mode: 'server', url: 'https://reservoir.clinic.local:8443', fingerprint: PIN } as const;

describe('Settings → This workstation', () => {
  it('shows the current mode, the server address and the pinned fingerprint', () => {
    const html = renderToStaticMarkup(<ThisWorkstationView info={{ current: server, problem: null, mayChange: true }} />);
    expect(html).toContain('This workstation');
    expect(html).toContain('Connected to the clinic server');
    expect(html).toContain('https://reservoir.clinic.local:8443');
    expect(html).toContain(PIN);
    // An administrator may change it: back to this computer only, or connect again.
    expect(html).toContain('>Use this computer only</button>');
    expect(html).toContain('Server address');
  });

  it('on its own database: says so, and offers only to connect (not "this computer only" again)', () => {
    const html = renderToStaticMarkup(<ThisWorkstationView info={{ current: { mode: 'local' }, problem: null, mayChange: true }} />);
    expect(html).toContain('On this computer only');
    expect(html).not.toContain('Use this computer only');
    expect(html).toContain('>Check the server</button>');
  });

  it('a non-administrator sees it read-only, with why, and no form at all', () => {
    const html = renderToStaticMarkup(<ThisWorkstationView info={{ current: server, problem: null, mayChange: false }} />);
    expect(html).toContain(PIN);
    expect(html).toContain('Only a Reservoir administrator signed in on this workstation may change how it connects');
    expect(html).not.toMatch(/<input|<button|<form/);
  });

  it('is not shown outside the desktop app (the browser shell and the clinic server have no workstation)', () => {
    expect(isDesktopApp()).toBe(false);
    expect(renderToStaticMarkup(<ThisWorkstationSection />)).toBe('');
  });

  it('the first run uses the same form', () => {
    const info: WorkstationInfo = { current: null, problem: 'This workstation’s settings are damaged.', mayChange: true };
    const html = renderToStaticMarkup(<WorkstationChoice info={info} />);
    expect(html).toContain('How does this computer use Reservoir?');
    expect(html).toContain('damaged');
    expect(html).toContain('>Use this computer only</button>');
    expect(html).toContain('>Check the server</button>');
  });
});

describe('the confirmation before switching', () => {
  it('says the app restarts', () => {
    expect(switchQuestion(null, { mode: 'local' })).toMatch(/^Reservoir restarts now and runs on this computer only/);
    expect(switchQuestion(null, server)).toContain('connected to the clinic server at https://reservoir.clinic.local:8443');
  });
  it('leaving this computer’s database: it stays on this disk, untouched', () => {
    const q = switchQuestion({ mode: 'local' }, server);
    expect(q).toContain('restarts');
    expect(q).toContain('The database on this computer stays on this disk, untouched');
  });
  it('back to this computer: nothing of the server’s record is copied here', () => {
    expect(switchQuestion(server, { mode: 'local' })).toContain("Nothing of the clinic server's record is copied to this computer");
  });
  it('the same server with a renewed certificate: only the new fingerprint is trusted', () => {
    expect(switchQuestion(server, { ...server, fingerprint: 'CD:'.repeat(31) + 'AB' })).toContain('only the new fingerprint');
  });
});

describe('the fingerprint as typed or pasted', () => {
  it('lower case, spaces or no colons read as the printed form', () => {
    const bare = PIN.replace(/:/g, '');
    expect(normaliseFingerprint(bare.toLowerCase())).toBe(PIN);
    expect(normaliseFingerprint(` ${PIN.replace(/:/g, ' ')} `)).toBe(PIN);
    expect(normaliseFingerprint('AB:CD')).toBe('AB:CD');
  });
});
