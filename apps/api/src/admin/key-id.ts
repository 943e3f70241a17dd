/**
 * Key ids are uuids: anything else names no key, and must not reach Postgres' uuid parser (that is a
 * 500, not the 404 it is). Every key-revoking route checks with this first.
 */
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}
