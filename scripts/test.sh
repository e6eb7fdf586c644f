#!/usr/bin/env bash
# npm test: the whole suite on the embedded PGlite database, then again on PostgreSQL when
# TEST_DATABASE_URL is set (each test file gets a schema of its own there). Extra arguments go to tap.
set -uo pipefail
cd "$(dirname "$0")/.."

total_pass=0
total_fail=0
backends=()
run() {
  local name=$1 log
  log=$(mktemp)
  echo "== tests on ${name}"
  npx tap "${@:2}" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local summary
  summary=$(grep -E '^# \{ total: ' "$log" | tail -1)
  local pass fail
  pass=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$summary")
  fail=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$summary")
  total_pass=$((total_pass + ${pass:-0}))
  total_fail=$((total_fail + ${fail:-0}))
  if [ "$status" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then total_fail=$((total_fail + 1)); fi
  backends+=("${name} (${pass:-0} passed, ${fail:-0} failed, exit ${status})")
  rm -f "$log"
}

TEST_DATABASE_URL= run pglite "$@"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  # Test files make a schema each; they are dropped only while no test runs (see test/helper.ts).
  npx tsx scripts/drop-test-schemas.ts
  run postgresql "$@"
  npx tsx scripts/drop-test-schemas.ts
fi

echo "backends: ${backends[*]}"
echo "${total_pass} passed, ${total_fail} failed"
[ "$total_fail" -eq 0 ]
