-- Each service logs in as a role that owns its schema and nothing else (same as start:distributed).
CREATE ROLE identity_svc LOGIN PASSWORD 'identity_svc';
CREATE ROLE events_svc LOGIN PASSWORD 'events_svc';
CREATE ROLE ticketing_svc LOGIN PASSWORD 'ticketing_svc';
CREATE ROLE payments_svc LOGIN PASSWORD 'payments_svc';
CREATE ROLE analytics_svc LOGIN PASSWORD 'analytics_svc';
CREATE ROLE realtime_svc LOGIN PASSWORD 'realtime_svc';
CREATE SCHEMA identity AUTHORIZATION identity_svc;
CREATE SCHEMA events AUTHORIZATION events_svc;
CREATE SCHEMA ticketing AUTHORIZATION ticketing_svc;
CREATE SCHEMA payments AUTHORIZATION payments_svc;
CREATE SCHEMA analytics AUTHORIZATION analytics_svc;
CREATE SCHEMA realtime AUTHORIZATION realtime_svc;
