#!/usr/bin/env bash
# Login benchmark end to end: a fresh database, the embedded gateway on :3400 with rate limits off
# and no sample data,
# then bench/login/login-bench.ts against it. Needs the machine's PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/../.."

database="bench_login_$$"
admin_url="postgres://postgres@127.0.0.1:5432/postgres"
psql "$admin_url" -qc "create database $database"

PORT=3400 RATE_LIMITS=off SEED=off LOG_LEVEL="${LOG_LEVEL:-info}" \
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$database" \
  node --import tsx services/api-gateway/src/main.ts > "/tmp/bench-login-gateway-$$.log" 2>&1 &
gateway=$!
cleanup() {
  kill "$gateway" 2> /dev/null || true
  wait "$gateway" 2> /dev/null || true
  psql "$admin_url" -qc "drop database if exists $database with (force)"
}
trap cleanup EXIT

for _ in $(seq 1 60); do
  curl -sf http://127.0.0.1:3400/ready > /dev/null && break
  sleep 1
done
curl -sf http://127.0.0.1:3400/ready > /dev/null

npx tsx bench/login/argon2-libraries.ts "${LIBRARY_ROUNDS:-3}" 160
npx tsx bench/login/login-bench.ts
