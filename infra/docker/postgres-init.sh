#!/bin/sh
# Each service logs in as a role that owns its schema and nothing else (same as start:distributed),
# with the password compose passes in (production refuses a role whose password is its name).
set -eu
for service in identity events ticketing payments analytics realtime; do
  variable="$(echo "$service" | tr a-z A-Z)_DB_PASSWORD"
  eval "password=\${$variable}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="${service}_svc" -v schema="$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE SCHEMA :"schema" AUTHORIZATION :"role";
SQL
done
