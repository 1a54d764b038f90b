/**
 * Versions that client and server exchange (docs/architecture.md, "Versions"). The server (the
 * browser shell, `reservoir serve`) answers its Reservoir version and contract version at
 * `GET /api/version` (no sign-in) and in headers on every API answer; a client (the renderer over
 * HTTP, later the connected Electron workstation) sends its own with every request. The rule: the
 * contract versions must be equal. `CONTRACT_VERSION` is a single integer, raised by one whenever
 * the contract changes in a way an older or newer client cannot follow (a request removed or
 * renamed, an input field added as required, a result changed in shape). Reservoir versions may
 * differ while the contract versions agree.
 *
 * This module is the client side too: `clientHeaders` and `readServerVersion` are what any client
 * uses, so the browser page and the future Electron forwarding cannot disagree.
 */
import { fail, ok, type Result } from './result';

/** This build's Reservoir version (package.json's). */
export const APP_VERSION = '0.1.0';
/** This build's contract version: raise it by one for every incompatible change of the contract. */
export const CONTRACT_VERSION = 2;

/** The client's contract version (an integer), on every API request. */
export const CONTRACT_HEADER = 'X-Reservoir-Contract';
/** The Reservoir version of the sender: the client on requests, the server on answers. */
export const APP_VERSION_HEADER = 'X-Reservoir-Version';
/** The server's contract version, on every API answer. */
export const SERVER_CONTRACT_HEADER = 'X-Reservoir-Server-Contract';
/** The workstation's host name, as its client says (recorded in the audit trail with its address). */
export const WORKSTATION_HEADER = 'X-Reservoir-Workstation';
/** Where the server answers its versions without sign-in. */
export const VERSION_PATH = '/api/version';

export interface PeerVersion {
  /** Reservoir version, e.g. `0.1.0`. */
  app: string;
  /** Contract version. */
  contract: number;
}

export const THIS_VERSION: PeerVersion = { app: APP_VERSION, contract: CONTRACT_VERSION };

/** A Reservoir version as sent in a header: digits, dots, letters and hyphens, at most 32 characters. */
const APP_VERSION_TEXT = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/;
/** A host name as a workstation sends it: letters, digits, dots, hyphens and underscores, at most 63 characters. */
const HOST_NAME_TEXT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** The headers a client sends with every request: its versions and, when known, its host name. */
export function clientHeaders(client: PeerVersion = THIS_VERSION, workstation?: string): Record<string, string> {
  const headers: Record<string, string> = { [CONTRACT_HEADER]: String(client.contract), [APP_VERSION_HEADER]: client.app };
  if (workstation !== undefined && HOST_NAME_TEXT.test(workstation)) headers[WORKSTATION_HEADER] = workstation;
  return headers;
}

/** A contract version header's value as an integer, or null when it is missing or not a whole number 0–999999. */
export function parseContractVersion(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^(0|[1-9][0-9]{0,5})$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** A Reservoir version header's value, or null when missing or not a version. */
export function parseAppVersion(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  return APP_VERSION_TEXT.test(v) ? v : null;
}

/** A workstation's host name header, or null when missing; `invalid` when it is not a plain host name. */
export function parseWorkstationName(value: string | null | undefined): string | null | 'invalid' {
  if (value === null || value === undefined || value.trim() === '') return null;
  const v = value.trim();
  return HOST_NAME_TEXT.test(v) ? v : 'invalid';
}

/**
 * Why a client of version `client` may not talk to a server of version `server`, in words for the
 * person at the workstation, or null when they agree (equal contract versions).
 */
export function versionMismatch(client: PeerVersion, server: PeerVersion): string | null {
  if (client.contract === server.contract) return null;
  if (client.contract < server.contract) {
    return `This workstation runs Reservoir ${client.app}; the clinic server runs ${server.app}. Update Reservoir on this workstation to ${server.app}.`;
  }
  return `This workstation runs Reservoir ${client.app}; the clinic server runs ${server.app}, which is older. Update Reservoir on the clinic server to ${client.app} (ask the clinic's IT), or use Reservoir ${server.app} on this workstation.`;
}

/**
 * The client side of `GET /api/version`: the server's versions from its answer, and a refusal
 * (`version_mismatch`, the plain message) when this client cannot talk to it.
 */
export function readServerVersion(answer: unknown, client: PeerVersion = THIS_VERSION): Result<PeerVersion> {
  const a = answer as { ok?: unknown; value?: { app?: unknown; contract?: unknown } } | null;
  const app = a?.value?.app;
  const contract = a?.value?.contract;
  if (a?.ok !== true || typeof app !== 'string' || typeof contract !== 'number' || !Number.isInteger(contract)) {
    return fail('version_mismatch', 'The server did not answer its Reservoir version: it is not a Reservoir clinic server, or a Reservoir too old to say.');
  }
  const server = { app, contract };
  const mismatch = versionMismatch(client, server);
  return mismatch === null ? ok(server) : fail('version_mismatch', mismatch);
}
