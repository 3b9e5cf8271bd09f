-- The design the service runs: the whole registration as ONE autocommit statement (the seat locks
-- are held while PostgreSQL executes and commits it, never across a client round trip). Mirrors
-- SeatLedger.takeSeats: lock the ticket type, take the event's seats if the type has room, then the
-- type's, then write availability rows, registration, ticket and registration event from the result.
with lk as (
  select id from purchase_bench.ticket_types where id = 1 and sold + 1 <= quantity for no key update
),
ev as (
  update purchase_bench.events set taken = taken + 1, version = version + 1
  where id = 1 and taken + 1 <= capacity and exists (select 1 from lk)
  returning id, capacity, taken, version
),
tt as (
  update purchase_bench.ticket_types set sold = sold + 1 where id = 1 and exists (select 1 from ev)
  returning id, quantity, sold
),
other as (
  select o.id, o.quantity, o.sold from purchase_bench.ticket_types o join ev on o.event_id = ev.id
  where o.id <> 1 for key share of o
),
changed as (
  select tt.id, tt.quantity, greatest(0, least(tt.quantity - tt.sold, ev.capacity - ev.taken)) as available from tt, ev
  union all
  select other.id, other.quantity, greatest(0, least(other.quantity - other.sold, ev.capacity - ev.taken)) from other, ev
  where other.quantity - other.sold > ev.capacity - ev.taken
),
announced as (
  insert into purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload)
  select gen_random_uuid(), 'ticketing.availability.v1', changed.id::text, 'availability.changed',
    jsonb_build_object('available', changed.available, 'quantity', changed.quantity, 'version', ev.version)
  from changed, ev
),
registration as (
  insert into purchase_bench.registrations (id, code, user_id, event_id, ticket_type_id, quantity, status, amount)
  select gen_random_uuid(), md5(random()::text), gen_random_uuid(), 1, 1, 1, 'confirmed', 0 from ev
),
ticket as (
  insert into purchase_bench.tickets (id, registration_id, event_id, code)
  select gen_random_uuid(), gen_random_uuid(), 1, md5(random()::text) from ev
),
registration_event as (
  insert into purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload)
  select gen_random_uuid(), 'ticketing.registration.v1', '1', 'registration.confirmed', '{"quantity":1}' from ev
)
select ev.id, pg_notify('ticketing_outbox', ''), pg_notify('ticketing_availability', '1') from ev;
