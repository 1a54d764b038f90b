import { createContext, useContext } from 'react';
import type { SessionState, SessionUser } from '../../../../shared/contract/accounts';
import type { RequestName } from '../../../../shared/contract/names';
import { mayCall } from '../../../../shared/contract/roles';

export interface SessionContextValue {
  user: SessionUser | null;
  /** Replace the session state (after sign-in, sign-out, lock). */
  setState(state: SessionState): void;
}

export const SessionContext = createContext<SessionContextValue>({ user: null, setState: () => {} });

export function useSession(): SessionContextValue {
  return useContext(SessionContext);
}

/**
 * Whether the signed-in user's role may make `name` — to hide what they cannot do. Hiding is not
 * security: main refuses the request anyway.
 */
export function useCan(name: RequestName): boolean {
  const { user } = useSession();
  return mayCall(name, user?.role ?? null);
}

/**
 * What a clinical form's Clinician field starts with: the signed-in user's display name when they
 * are a clinician (who records the entry is usually who did it), else empty. Still editable: the
 * nurse who refilled may not be the one typing. Who recorded the entry is kept apart, from the
 * session (record/recorded-by.ts).
 */
export function useDefaultClinician(): string {
  const { user } = useSession();
  return user?.role === 'clinician' ? user.displayName : '';
}
