import { useEffect, useState } from 'react';
import { connectionState, onConnectionState, type ConnectionState } from '../api/connection';

/**
 * While the server cannot be reached: the plain message, and that what is on screen is from the
 * last answer (never shown as current). Nothing when every request is answered.
 */
export function ConnectionBanner() {
  const [state, setState] = useState<ConnectionState>(connectionState);
  useEffect(() => onConnectionState(setState), []);
  if (state.unreachable === null) return null;
  const since = state.lastAnswerAt === null ? null : new Date(state.lastAnswerAt).toLocaleTimeString();
  return (
    <div role="alert" className="banner banner-error connection-banner" data-testid="connection-banner">
      <strong>{state.unreachable}</strong>
      {since !== null && <> What is on screen was last brought up to date at {since} and may have changed since; nothing can be saved until the server answers.</>}
    </div>
  );
}
