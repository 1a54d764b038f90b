/**
 * Issue 18, item 1: another program on this computer serves a page on another port of 127.0.0.1.
 * Cookies do not separate ports (RFC 6265), so the shell keeps no credentials in cookies; the API
 * takes only JSON with the token header, from the shell's own origin. Here the user signs in in one
 * tab, and a page from a separate tiny HTTP server, in the same browser, tries to write.
 */
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { apiCall, loginSession, signIn, useShell } from './shell';

const t = useShell(['--demo']);

/** The attacker's server: serves one page and records every request's Cookie header. */
async function attackerServer(page: string): Promise<{ origin: string; cookies: string[]; close(): Promise<void> }> {
  const cookies: string[] = [];
  const server = http.createServer((req, res) => {
    cookies.push(req.headers.cookie ?? '');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.url === '/' ? page : 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    cookies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const FORGED = { mrn: 'FORGED-1', familyName: 'Forged', givenName: 'Mallory', birthDate: '1970-01-01', sex: 'female', indications: ['crps'] };

test('a page on another 127.0.0.1 port cannot create a patient, and never receives Reservoir credentials', async ({ page, context }) => {
  // The user signs in to the console and uses it.
  await signIn(page, t.shell, 'clinician', '#/patients');
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
  const shellOrigin = new URL(t.shell.url).origin;
  const target = `${shellOrigin}/api/patients.create`;

  // The attacker's page tries the report's request, a form POST (text/plain: its body is the JSON
  // below, the `=` landing in a free-text field) and a JSON fetch with our headers.
  const attack = `<!doctype html><title>attacker</title>
<form id="f" method="POST" action="${target}" enctype="text/plain" target="_blank">
  <input name='{"mrn":"FORGED-2","familyName":"Forged","givenName":"Form","birthDate":"1970-01-01","sex":"female","indications":["crps"],"allergies":"' value='"}'>
</form>
<script>
window.results = {};
async function run() {
  const body = ${JSON.stringify(JSON.stringify(FORGED))};
  try {
    await fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body });
    window.results.noCors = 'sent';
  } catch (e) { window.results.noCors = 'error: ' + e.message; }
  try {
    const r = await fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-Reservoir-Token': 'guess', 'X-Reservoir-Session': 'guess' }, body });
    window.results.cors = 'status ' + r.status;
  } catch (e) { window.results.cors = 'blocked: ' + e.message; }
  document.getElementById('f').submit();
  window.results.form = 'submitted';
}
</script>`;
  const attacker = await attackerServer(attack);
  try {
    const evil = await context.newPage();
    // What reached the shell from the attacker's page, and how the shell answered.
    const answers: { method: string; type: string; answer: string }[] = [];
    evil.on('response', (r) => {
      if (r.url() === target) answers.push({ method: r.request().method(), type: r.request().headers()['content-type'] ?? '', answer: String(r.status()) });
    });
    evil.on('requestfailed', (r) => {
      if (r.url() === target) answers.push({ method: r.method(), type: r.headers()['content-type'] ?? '', answer: r.failure()?.errorText ?? '' });
    });
    await evil.goto(attacker.origin);
    const formAnswer = context.waitForEvent('page');
    await evil.evaluate(() => (window as unknown as { run(): Promise<void> }).run());
    const answered = await formAnswer; // the form's POST opens the shell's answer in a new tab
    await answered.waitForLoadState();
    const results = (await evil.evaluate(() => (window as unknown as { results: Record<string, string> }).results)) as Record<string, string>;
    // The browser sent the simple request and the shell answered it (the page cannot read the
    // answer: the shell's Cross-Origin-Resource-Policy blocks it).
    expect(results.noCors).toBe('error: Failed to fetch');
    expect(answers).toContainEqual({ method: 'POST', type: 'text/plain', answer: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin' });
    // The JSON request with our headers needs a preflight, which fails: the POST is never sent.
    expect(results.cors).toMatch(/^blocked/);
    expect(answers).toContainEqual({ method: 'POST', type: 'application/json', answer: 'net::ERR_FAILED' });
    expect(results.form).toBe('submitted');
    // The form's answer is the shell's refusal, not a created patient.
    expect(answered.url()).toBe(target);
    expect(await answered.locator('body').innerText()).toContain('another site');
    await answered.close();
    // The user goes on using the console after the attempts; the attacker's page loads again.
    await page.reload();
    await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
    await evil.reload();
    await evil.evaluate(() => fetch('/again', { credentials: 'include' }));

    // No patient was created: as the signed-in user, through the API.
    const session = await loginSession(t.shell, 'clinician');
    const listed = await apiCall(t.shell, 'patients.list', { query: 'FORGED' }, session);
    expect(listed.body.ok).toBe(true);
    expect(listed.body.value).toEqual([]);
    await page.getByRole('searchbox').fill('Forged');
    await expect(page.getByRole('row', { name: /Forged, Mallory/ })).toHaveCount(0);

    // The attacker's server saw its own requests, and no Reservoir credential in any Cookie header.
    expect(attacker.cookies.length).toBeGreaterThanOrEqual(2);
    const token = new URL(t.shell.url).searchParams.get('token')!;
    for (const cookie of attacker.cookies) {
      expect(cookie).not.toMatch(/reservoir/i);
      expect(cookie).not.toContain(token);
      expect(cookie).not.toContain(session);
    }
    // Nor does the browser hold any cookie for the shell at all.
    expect(await context.cookies(shellOrigin)).toEqual([]);
  } finally {
    await attacker.close();
  }
});

test('the token is taken out of the address bar and kept only by the shell’s own origin', async ({ page, context }) => {
  await signIn(page, t.shell, 'clinician');
  expect(page.url()).not.toContain('token=');
  const token = new URL(t.shell.url).searchParams.get('token')!;
  expect(await page.evaluate(() => window.localStorage.getItem('reservoir.token'))).toBe(token);
  // A page on another port has its own storage: nothing of ours.
  const attacker = await attackerServer('<!doctype html><title>attacker</title>');
  try {
    const evil = await context.newPage();
    await evil.goto(attacker.origin);
    expect(await evil.evaluate(() => [window.localStorage.length, window.sessionStorage.length])).toEqual([0, 0]);
  } finally {
    await attacker.close();
  }
});
