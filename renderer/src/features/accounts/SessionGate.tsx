import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { SessionState, SessionUser } from '../../../../shared/contract/accounts';
import { call, onSessionProblem } from '../../api/client';
import { onReconnected } from '../../api/connection';
import './accounts.css';
import { SessionContext } from './session';
import { ROLE_LABELS, type Role } from '../../../../shared/contract/roles';
import { LockScreen, LoginScreen, SetupScreen } from './SignInScreens';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/**
 * Locks the console after `lockAfterMs` without input. Main locks the session on its own clock
 * too (a request after that is refused with `session_locked`), counting requests as activity; so
 * while someone types (a long note, no request), a light `session.current` tells main they are
 * still there, at most every minute.
 */
function useIdleLock(lockAfterMs: number | null, onLock: () => void, onBeat: (state: SessionState) => void) {
  useEffect(() => {
    if (lockAfterMs === null) return;
    const beatEveryMs = Math.min(60_000, lockAfterMs / 2);
    let lastBeat = Date.now();
    let timer = window.setTimeout(onLock, lockAfterMs);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onLock, lockAfterMs);
      if (Date.now() - lastBeat >= beatEveryMs) {
        lastBeat = Date.now();
        void call('session.current', {}).then((r) => r.ok && onBeat(r.value));
      }
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, reset);
    };
  }, [lockAfterMs, onLock, onBeat]);
}

/** Shows the first-run, sign-in or lock screen until a user is signed in; then the console. */
export function SessionGate({ children, banner }: { children: ReactNode; banner?: ReactNode }) {
  const [state, setState] = useState<SessionState | null>(null);
  const [error, setError] = useState<string | null>(null);
  /**
   * True when the session ended without the user signing out (the clinic server restarted while it
   * could not be reached, an administrator ended it): the console is kept, detached as when locked,
   * and put back when the same user signs in again, so nothing typed is lost.
   */
  const endedUnasked = useRef(false);

  const refresh = useCallback(() => {
    void call('session.current', {}).then((r) => {
      if (r.ok) {
        setState(r.value);
        setError(null);
      } else if (r.error.code !== 'unreachable') setError(r.error.message); // unreachable: the banner, then asked again
    });
  }, []);
  useEffect(refresh, [refresh]);
  // A request refused because the session ended or locked: show the right screen.
  useEffect(
    () =>
      onSessionProblem(() => {
        endedUnasked.current = true;
        refresh();
      }),
    [refresh],
  );
  // The server answers again: a restarted server has forgotten every session.
  useEffect(
    () =>
      onReconnected(() => {
        endedUnasked.current = true;
        refresh();
      }),
    [refresh],
  );

  const lock = useCallback(() => {
    void call('session.lock', {}).then((r) => (r.ok ? setState(r.value) : refresh()));
  }, [refresh]);
  // The answer to a heartbeat: a changed lock time, or a session ended meanwhile.
  const beat = useCallback((next: SessionState) => setState((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next)), []);
  useIdleLock(state?.state === 'active' ? state.lockAfterMs : null, lock, beat);

  // Kept while signed out unasked (below): the console keeps its user, so nothing in it unmounts.
  const lastUser = useRef<SessionUser | null>(null);
  if (state?.state === 'active' || state?.state === 'locked') lastUser.current = state.user;
  else if (state?.state === 'setup' || (state?.state === 'signed_out' && !endedUnasked.current)) lastUser.current = null;
  const signedInUser = state?.state === 'active' || state?.state === 'locked' ? state.user : lastUser.current;
  const context = useMemo(() => ({ user: signedInUser, setState }), [signedInUser]);
  // Locked: the console stays mounted in React (so whatever was being typed is still there after
  // the unlock) but its elements are taken out of the page (see DetachedWhileLocked). Signing out,
  // or another user, unmounts it.
  const [mountedFor, setMountedFor] = useState<number | null>(null);
  useEffect(() => {
    if (state?.state === 'active') {
      setMountedFor(state.user.id);
      endedUnasked.current = false;
    } else if (state?.state === 'locked') endedUnasked.current = false;
    else if (!(state?.state === 'signed_out' && endedUnasked.current)) setMountedFor(null);
  }, [state]);

  if (error) {
    return (
      <>
        {banner}
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      </>
    );
  }
  if (state === null) return <p aria-busy="true">Opening the clinic record…</p>;
  if (state.state === 'setup') {
    return (
      <>
        {banner}
        <SetupScreen onState={setState} />
      </>
    );
  }
  // The session ended unasked while something may have been typed: sign in again, and the same
  // user finds the console as it was (another user gets a fresh one: the key below).
  const kept = state.state === 'signed_out' && mountedFor !== null;
  if (state.state === 'signed_out' && !kept) {
    return (
      <>
        {banner}
        <LoginScreen onState={setState} />
      </>
    );
  }
  const locked = state.state !== 'active';
  const userId = state.state === 'signed_out' ? mountedFor : state.user.id;
  const showConsole = state.state === 'active' || mountedFor === userId;
  return (
    <>
      {state.state !== 'active' && banner}
      {kept && (
        <p role="status" className="banner">
          Your session ended (the clinic server restarted, or it was ended there). Sign in again to continue: what you typed is kept for the same user.
        </p>
      )}
      {kept && <LoginScreen onState={setState} />}
      {state.state === 'locked' && <LockScreen user={state.user} onState={setState} />}
      {showConsole && (
        <DetachedWhileLocked key={userId ?? 'none'} locked={locked}>
          <SessionContext.Provider value={context}>{children}</SessionContext.Provider>
        </DetachedWhileLocked>
      )}
    </>
  );
}

/**
 * Renders the console into an element of its own that is in the page only while unlocked. Locked,
 * that element is taken out of the document: no patient name, allergy or typed note is left in the
 * page for anyone at the locked screen (the page's text, the elements panel, assistive technology,
 * a browser extension) while React keeps the components and their state, so the unlock puts back
 * exactly what was there. `display: contents` keeps the layout as if the element were not there.
 */
function DetachedWhileLocked({ locked, children }: { locked: boolean; children: ReactNode }) {
  const [container] = useState(() => {
    const div = document.createElement('div');
    div.className = 'session-console';
    return div;
  });
  const anchor = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (locked) container.remove();
    else anchor.current?.appendChild(container);
  }, [locked, container]);
  useLayoutEffect(() => () => container.remove(), [container]);
  return (
    <>
      <div ref={anchor} className="session-console" />
      {createPortal(children, container)}
    </>
  );
}

/** The signed-in user and "Sign out", for the header. */
export function CurrentUser() {
  return <SessionContext.Consumer>{(s) => (s.user ? <UserMenu name={s.user.displayName} role={s.user.role} onSignOut={() => void call('session.logout', {}).then((r) => r.ok && s.setState(r.value))} /> : null)}</SessionContext.Consumer>;
}

function UserMenu({ name, role, onSignOut }: { name: string; role: Role; onSignOut: () => void }) {
  return (
    <div className="current-user">
      <a href="#/account" title="My account: change password">
        <strong data-testid="current-user">{name}</strong> <span className="muted">({ROLE_LABELS[role]})</span>
      </a>
      <button type="button" className="secondary" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  );
}
