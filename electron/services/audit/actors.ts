import os from 'node:os';
import type { Actor } from '../handler-types';

/** The command line acts without signing in, as the operating-system user: `cli:<user>`. */
export function cliActor(): Actor {
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { userId: null, username: `cli:${user}`, role: null };
}

/** The demo seed and other work Reservoir does by itself. */
export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', role: null };
