/**
 * The desktop workstation's own requests (`workstation.get`, `workstation.probe`, `workstation.set`),
 * answered here in the main process and never forwarded; every other request goes to the mode in
 * use: the embedded database's services, or the clinic server through the pinned forwarding client
 * (electron/remote/forward.ts). Who may change the choice: anyone at this computer on the first run
 * (or when the settings file was damaged); afterwards only a Reservoir administrator signed in in
 * this window, on the database or server in use (docs/security.md, "Connected workstations").
 */
import { workstationProbeInput, workstationSetInput, type WorkstationInfo } from '../../shared/contract/workstation';
import { fail, ok, type Result } from '../../shared/contract/result';
import { createRemoteClient, probeServer } from '../remote/forward';
import { readWorkstationConfig, serverUrlSchema, writeWorkstationConfig, normaliseFingerprint, type WorkstationConfig } from '../remote/workstation-config';
import type { Dispatch, SessionSlot } from './ipc';

export interface WorkstationDeps {
  userData: string;
  /** The dispatcher of the mode in use; null while no mode is chosen (the choice screen). */
  inner: Dispatch | null;
  /** After a new choice is saved (the app restarts into it). */
  onChanged(config: WorkstationConfig): void;
  probe?: typeof probeServer;
}

function issue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): Result<never> {
  const first = error.issues[0];
  const field = first?.path.map(String).join('.') || 'url';
  return fail('invalid_input', `${field}: ${first?.message ?? 'is not valid'}`, field);
}

export function createWorkstationDispatch(deps: WorkstationDeps): Dispatch {
  const probe = deps.probe ?? probeServer;

  async function mayChange(slot: SessionSlot): Promise<boolean> {
    const read = readWorkstationConfig(deps.userData);
    if (read.state !== 'ok') return true;
    if (deps.inner === null) return true;
    const current = await deps.inner('session.current', {}, slot);
    const value = current.ok ? (current.value as { state?: string; user?: { role?: string } }) : null;
    return value?.state === 'active' && value.user?.role === 'administrator';
  }

  async function info(slot: SessionSlot): Promise<WorkstationInfo> {
    const read = readWorkstationConfig(deps.userData);
    return {
      current: read.state === 'ok' ? read.config : null,
      problem: read.state === 'damaged' ? read.message : null,
      mayChange: await mayChange(slot),
    };
  }

  async function probeAndCheck(url: string): Promise<Result<{ origin: string; fingerprint: string; serverVersion: string }>> {
    const checkedUrl = serverUrlSchema.safeParse(url);
    if (!checkedUrl.success) return issue(checkedUrl.error);
    const seen = await probe(checkedUrl.data);
    if (!seen.ok) return seen;
    const version = await createRemoteClient({ url: seen.value.origin, fingerprint: seen.value.fingerprint, timeoutMs: 10_000 }).checkVersion();
    if (!version.ok) return version;
    return ok({ origin: seen.value.origin, fingerprint: seen.value.fingerprint, serverVersion: version.value.app });
  }

  return async (name, input, slot) => {
    if (name === 'workstation.get') return ok(await info(slot));
    if (name === 'workstation.probe') {
      const parsed = workstationProbeInput.safeParse(input);
      if (!parsed.success) return issue(parsed.error);
      return probeAndCheck(parsed.data.url);
    }
    {
      if (name === 'workstation.set') {
        const parsed = workstationSetInput.safeParse(input);
        if (!parsed.success) return issue(parsed.error);
        if (!(await mayChange(slot))) return fail('forbidden', 'Only a Reservoir administrator signed in on this workstation may change how it connects. Nothing was changed.');
        let config: WorkstationConfig;
        if (parsed.data.mode === 'local') config = { mode: 'local' };
        else {
          // Confirmed against what the server presents now: a typo in the fingerprint, or another
          // machine answering at that address, is refused before anything is saved.
          const seen = await probeAndCheck(parsed.data.url);
          if (!seen.ok) return seen;
          const given = normaliseFingerprint(parsed.data.fingerprint);
          if (given !== seen.value.fingerprint) {
            return fail('invalid_input', `The fingerprint given (${given}) is not the one the server at ${seen.value.origin} presents (${seen.value.fingerprint}). Compare it again with the one the clinic's IT gave you; if they differ, do not connect and tell IT. Nothing was changed.`, 'fingerprint');
          }
          config = { mode: 'server', url: seen.value.origin, fingerprint: seen.value.fingerprint };
        }
        const written = writeWorkstationConfig(deps.userData, config);
        if (!written.ok) return written;
        setTimeout(() => deps.onChanged(written.value), 200); // the answer reaches the window first
        return ok({ current: written.value, problem: null, mayChange: true });
      }
    }
    // Everything else: the mode in use.
    if (deps.inner === null) return fail('forbidden', 'Choose first how this workstation runs Reservoir: this computer only, or connected to the clinic server.');
    return deps.inner(name, input, slot);
  };
}
