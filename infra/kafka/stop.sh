#!/usr/bin/env bash
# Stop the broker started by start.sh for the same data dir (same env vars).
# SIGTERM (controlled shutdown), wait up to KAFKA_STOP_TIMEOUT (30 s), then SIGKILL.
# No error if it is not running.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
DATA_DIR="${KAFKA_DATA_DIR:-$REPO_ROOT/.data/kafka-$PORT}"
TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

if [[ ! -d "$DATA_DIR" ]]; then
  echo "kafka not running (no data dir $DATA_DIR)"; exit 0
fi
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
PID_FILE="$DATA_DIR/kafka.pid"
PROPS="$DATA_DIR/server.properties"

PID="$(cat "$PID_FILE" 2>/dev/null || true)"
if [[ -z "$PID" ]] || ! kill -0 "$PID" 2>/dev/null \
   || ! tr '\0' ' ' <"/proc/$PID/cmdline" 2>/dev/null | grep -qF "$PROPS"; then
  rm -f "$PID_FILE"
  echo "kafka not running (data $DATA_DIR)"; exit 0
fi

kill -TERM "$PID" 2>/dev/null || true
for _ in $(seq $((TIMEOUT * 5))); do
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.2
done
if kill -0 "$PID" 2>/dev/null; then
  echo "stop.sh: broker pid $PID ignored SIGTERM for ${TIMEOUT}s; sending SIGKILL" >&2
  kill -KILL "$PID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$PID_FILE"
echo "kafka stopped (pid $PID, data $DATA_DIR)"
