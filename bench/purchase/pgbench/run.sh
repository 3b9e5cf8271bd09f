#!/usr/bin/env bash
# Compares the seat-locking designs with pgbench on one hot ticket type: each design starts from fresh
# tables and runs at 1, 16 and 64 clients. Usage: bench/purchase/pgbench/run.sh [seconds] [clients...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
admin_url="${PGBENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
url="${PGBENCH_URL:-postgres://postgres@127.0.0.1:5432/bench_purchase}"
seconds="${1:-10}"
shift || true
clients=("${@:-1 16 64}")
read -r -a clients <<< "${clients[*]}"

psql -q "$admin_url" -tc "select 1 from pg_database where datname = 'bench_purchase'" | grep -q 1 \
  || psql -q "$admin_url" -c 'create database bench_purchase'

printf '%-26s %8s %10s %12s\n' design clients tps 'latency ms'
for design in ${DESIGNS:-single-statement conditional-update conditional-update-last conditional-update-early select-for-update split-counters seat-rows-skip-locked}; do
  psql -q "$url" -v ON_ERROR_STOP=1 -f "$here/setup.sql" > /dev/null 2>&1
  for c in "${clients[@]}"; do
    out="$(pgbench -n -M prepared -T "$seconds" -c "$c" -j 2 -f "$here/$design.sql" "$url" 2>&1)"
    tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<< "$out")"
    latency="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<< "$out")"
    printf '%-26s %8s %10.0f %12s\n' "$design" "$c" "$tps" "$latency"
  done
done
