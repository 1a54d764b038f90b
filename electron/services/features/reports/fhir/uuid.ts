/**
 * Deterministic resource ids for the FHIR export: RFC 9562 (formerly RFC 4122) version-5 UUIDs,
 * SHA-1 of a namespace and a name. The same clinic and the same record give the same UUID in every
 * export, so a receiving system can recognise a resource it has already seen.
 */
import { createHash } from 'node:crypto';

/** Reservoir's own namespace (a random v4 UUID chosen once; never change it: every id depends on it). */
export const RESERVOIR_NAMESPACE = '129498d6-034d-41c6-bcac-51aef4158fd0';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The version-5 UUID of `name` in `namespace` (lower case, hyphenated). */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID_RE.test(namespace)) throw new RangeError(`Not a UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(Buffer.from(name, 'utf8'))
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Makes the UUIDs of one clinic's export: a namespace per clinic (its name), then one UUID per
 * record key such as `Patient/12` or `MedicationRequest/refill/5/0`. Record keys use database ids,
 * so they are stable for one clinic database (not across an export/import into another database).
 */
export function clinicUuids(clinicName: string): (key: string) => string {
  const clinicNamespace = uuidV5(`clinic:${clinicName}`, RESERVOIR_NAMESPACE);
  return (key) => uuidV5(key, clinicNamespace);
}
