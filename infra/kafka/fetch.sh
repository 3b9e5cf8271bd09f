#!/usr/bin/env bash
# Fetch the Kafka broker jars listed in pom.xml into a cache dir.
#   KAFKA_CACHE_DIR  cache root (default: $HOME/.cache/echoplex-kafka); jars go to $KAFKA_CACHE_DIR/lib
# Idempotent: a marker file keyed by the pom's sha256 makes repeat runs a no-op.
# Prints the lib dir on stdout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"
CACHE_DIR="${KAFKA_CACHE_DIR:-$HOME/.cache/echoplex-kafka}"
LIB_DIR="$CACHE_DIR/lib"
POM_HASH="$(sha256sum "$POM" | cut -c1-16)"
MARKER="$LIB_DIR/.fetched-$POM_HASH"

if [[ -f "$MARKER" ]]; then
  echo "$LIB_DIR"
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch.sh: mvn not found (need Maven 3.x and a JDK 17+)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"

# Serialise concurrent fetches (e.g. two start.sh at once).
exec 9>"$CACHE_DIR/.fetch.lock"
flock 9
if [[ -f "$MARKER" ]]; then   # another process finished while we waited
  echo "$LIB_DIR"
  exit 0
fi

echo "fetch.sh: downloading Kafka jars into $LIB_DIR ..." >&2
TMP_DIR="$CACHE_DIR/lib.tmp.$$"
rm -rf "$TMP_DIR"
trap 'rm -rf "$TMP_DIR"' EXIT
MVN_LOG="$CACHE_DIR/fetch-mvn.log"
if ! mvn -B -ntp -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$TMP_DIR" >"$MVN_LOG" 2>&1; then
  echo "fetch.sh: mvn dependency:copy-dependencies failed; last lines of $MVN_LOG:" >&2
  tail -n 30 "$MVN_LOG" >&2
  exit 1
fi
ls "$TMP_DIR"/kafka_2.13-*.jar >/dev/null 2>&1 || { echo "fetch.sh: kafka jar missing after fetch" >&2; exit 1; }
touch "$TMP_DIR/.fetched-$POM_HASH"

# Swap in atomically-ish: a changed pom replaces the whole dir (no stale jar versions).
rm -rf "$LIB_DIR"
mv "$TMP_DIR" "$LIB_DIR"
trap - EXIT
echo "fetch.sh: $(ls "$LIB_DIR"/*.jar | wc -l) jars ready" >&2
echo "$LIB_DIR"
