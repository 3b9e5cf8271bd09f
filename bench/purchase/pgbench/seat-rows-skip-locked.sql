-- Pre-allocated rows: claim one free seat of the ticket type and one capacity token of the event,
-- skipping rows other transactions hold. No hot row, but no exact counter either.
BEGIN;
INSERT INTO purchase_bench.registrations (id, code, user_id, event_id, ticket_type_id, quantity, status, amount)
  VALUES (gen_random_uuid(), md5(random()::text), gen_random_uuid(), 1, 1, 1, 'confirmed', 0);
INSERT INTO purchase_bench.tickets (id, registration_id, event_id, code) VALUES (gen_random_uuid(), gen_random_uuid(), 1, md5(random()::text));
UPDATE purchase_bench.seats SET registration_id = gen_random_uuid()
  WHERE id = (SELECT id FROM purchase_bench.seats WHERE ticket_type_id = 1 AND registration_id IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id;
UPDATE purchase_bench.capacity_tokens SET registration_id = gen_random_uuid()
  WHERE id = (SELECT id FROM purchase_bench.capacity_tokens WHERE event_id = 1 AND registration_id IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id;
INSERT INTO purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(), 'ticketing.registration.v1', '1', 'registration.confirmed', '{"quantity":1}');
INSERT INTO purchase_bench.outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(), 'ticketing.availability.v1', '1', 'availability.changed', '{"available":1}');
SELECT pg_notify('ticketing_outbox', ''), pg_notify('ticketing_availability', '1');
COMMIT;
