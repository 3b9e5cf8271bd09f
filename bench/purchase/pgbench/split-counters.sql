-- Split counters: a random one of 16 slots per ticket type and per event takes the seat, so concurrent
-- buyers mostly lock different rows; the real code needs a fallback scan when the chosen slot is empty.
\set ts random(0, 15)
\set es random(0, 15)
BEGIN;
INSERT INTO purchase_bench.registrations (id, code, user_id, event_id, ticket_type_id, quantity, status, amount)
  VALUES (gen_random_uuid(), md5(random()::text), gen_random_uuid(), 1, 1, 1, 'confirmed', 0);
INSERT INTO purchase_bench.tickets (id, registration_id, event_id, code) VALUES (gen_random_uuid(), gen_random_uuid(), 1, md5(random()::text));
INSERT INTO purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(), 'ticketing.registration.v1', '1', 'registration.confirmed', '{"quantity":1}');
UPDATE purchase_bench.ticket_type_slots SET remaining = remaining - 1 WHERE ticket_type_id = 1 AND slot = :ts AND remaining >= 1;
UPDATE purchase_bench.event_slots SET remaining = remaining - 1 WHERE event_id = 1 AND slot = :es AND remaining >= 1;
INSERT INTO purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(), 'ticketing.availability.v1', '1', 'availability.changed', '{"available":1}');
SELECT pg_notify('ticketing_outbox', ''), pg_notify('ticketing_availability', '1');
COMMIT;
