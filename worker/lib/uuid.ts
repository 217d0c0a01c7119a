const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A well-formed UUID: anything else is answered like a missing record, never sent to Postgres as a uuid. */
export const isUuid = (s: string) => UUID.test(s);
