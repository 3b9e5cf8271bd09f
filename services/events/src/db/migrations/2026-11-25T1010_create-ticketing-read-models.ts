import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ticket_type_availability (
      ticket_type_id uuid constraint ticket_type_availability_pk primary key,
      event_id uuid not null,
      available integer not null,
      quantity integer not null,
      version bigint not null,
      deleted boolean not null default false,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ticket_type_availability_event_idx on ticket_type_availability (event_id)`.execute(db);

  await sql`
    create table registration_seats (
      registration_id uuid constraint registration_seats_pk primary key,
      event_id uuid not null,
      quantity integer not null,
      holds_seats boolean not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index registration_seats_event_idx on registration_seats (event_id)`.execute(db);
}
