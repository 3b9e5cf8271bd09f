-- The purchase-path tables reduced to what the locking designs touch, in a schema of their own.
drop schema if exists purchase_bench cascade;
create schema purchase_bench;
set search_path to purchase_bench;

create table events (id int primary key, capacity int not null, taken int not null default 0, version bigint not null default 0);
create table ticket_types (id int primary key, event_id int not null, quantity int not null, sold int not null default 0);
create table registrations (
  id uuid primary key, code text not null unique, user_id uuid not null, event_id int not null, ticket_type_id int not null,
  quantity int not null, status text not null, amount int not null, created_at timestamptz not null default now());
create unique index registrations_one_active on registrations (user_id, ticket_type_id) where status in ('pending', 'confirmed');
create table tickets (id uuid primary key, registration_id uuid not null, event_id int not null, code text not null unique);
create table outbox (seq bigserial primary key, id uuid not null unique, aggregatetype text not null, aggregateid text not null,
  type text not null, payload jsonb not null, headers jsonb not null default '{}', published_at timestamptz);

-- Enough seats that no design ever runs out during a run: the benchmark measures contention, not sold-out paths.
insert into events values (1, 100000000, 0, 0);
insert into ticket_types values (1, 1, 100000000, 0);

-- Split counters: 16 slots per ticket type and per event, each with its share of the seats.
create table ticket_type_slots (ticket_type_id int, slot int, remaining int not null, primary key (ticket_type_id, slot));
create table event_slots (event_id int, slot int, remaining int not null, primary key (event_id, slot));
insert into ticket_type_slots select 1, s, 6250000 from generate_series(0, 15) s;
insert into event_slots select 1, s, 6250000 from generate_series(0, 15) s;

-- Pre-allocated seat rows: one row per seat of the ticket type and one per seat of the event's capacity.
create table seats (id bigserial primary key, ticket_type_id int not null, registration_id uuid);
create index seats_free on seats (ticket_type_id, id) where registration_id is null;
create table capacity_tokens (id bigserial primary key, event_id int not null, registration_id uuid);
create index capacity_tokens_free on capacity_tokens (event_id, id) where registration_id is null;
insert into seats (ticket_type_id) select 1 from generate_series(1, 300000);
insert into capacity_tokens (event_id) select 1 from generate_series(1, 300000);
vacuum analyze;
