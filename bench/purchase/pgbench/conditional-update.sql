-- Chosen design: insert the registration, its ticket and its event first (no hot lock held yet), then
-- take both hot rows with conditional UPDATEs as late as possible, so the locks live only until COMMIT.
\set user random(1, 1000000000)
BEGIN;
INSERT INTO purchase_bench.registrations (id, code, user_id, event_id, ticket_type_id, quantity, status, amount)
  VALUES (gen_random_uuid(), md5(random()::text), gen_random_uuid(), 1, 1, 1, 'confirmed', 0);
INSERT INTO purchase_bench.tickets (id, registration_id, event_id, code) VALUES (gen_random_uuid(), gen_random_uuid(), 1, md5(random()::text));
INSERT INTO purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(), 'ticketing.registration.v1', '1', 'registration.confirmed', '{"quantity":1}');
WITH tt AS (UPDATE purchase_bench.ticket_types SET sold = sold + 1 WHERE id = 1 AND sold + 1 <= quantity RETURNING quantity - sold AS remaining)
UPDATE purchase_bench.events SET taken = taken + 1, version = version + 1
  WHERE id = 1 AND taken + 1 <= capacity AND EXISTS (SELECT 1 FROM tt) RETURNING capacity - taken, version, (SELECT remaining FROM tt);
INSERT INTO purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(), 'ticketing.availability.v1', '1', 'availability.changed', '{"available":1}');
SELECT pg_notify('ticketing_outbox', ''), pg_notify('ticketing_availability', '1');
COMMIT;
