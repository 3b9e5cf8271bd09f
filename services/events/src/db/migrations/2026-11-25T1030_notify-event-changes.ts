import { type Kysely, sql } from 'kysely';

/**
 * Every committed change of an event row is announced on `events_event_changed` (payload: the id),
 * so each instance evicts it from its read cache, whichever instance or consumer made the change.
 * A trigger rather than application code, so no write path can forget it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function notify_event_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('events_event_changed', coalesce(new.id, old.id)::text);
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger events_notify_change after update or delete on events
    for each row execute function notify_event_changed()`.execute(db);
}
