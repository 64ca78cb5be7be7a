#!/usr/bin/env bash
# Smoke test of a built binary (default dist/magda-sla-bot), as an operator would try
# it: serve with the events API on, post a ticket dated now, read it back, `bot check`,
# `bot backup` while it runs, the traps (a missing database, an endpoint that is off),
# a reload by SIGHUP, and a clean stop on SIGTERM with only structured log lines.
set -euo pipefail
bin=$(realpath "${1:-dist/magda-sla-bot}")
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "smoke: $*" >&2; echo "--- log:" >&2; cat "$dir/log" >&2 || true; exit 1; }
export MAGDA_API_TOKEN=smoke MAGDA_DB="$dir/magda.db"

"$bin" serve --addr 127.0.0.1:0 >"$dir/log" 2>&1 &
pid=$!
url=
for _ in $(seq 100); do
  url=$(sed -n 's/.* msg=listening url=\([^ ]*\).*/\1/p' "$dir/log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || fail "serve did not say where it listens"
curl -fsS "$url/readyz" >/dev/null || fail "/readyz"

now=$(date -Iseconds)
curl -fsS -H 'Authorization: Bearer smoke' "$url/api/v1/events" \
  -d '{"ticket":"SMOKE-1","type":"created","at":"'"$now"'","customer":"agency-x","kind":"incident","priority":"P2"}' \
  | grep -q '"stored":1' || fail "the event was not stored"
"$bin" ticket SMOKE-1 | grep -q '"ticket":"SMOKE-1"' || fail "bot ticket SMOKE-1"
"$bin" check >"$dir/check" || { cat "$dir/check"; fail "bot check"; }
"$bin" backup "$dir/copy.db" | grep -q 'integrity_check ok' || fail "bot backup"
"$bin" ticket SMOKE-1 --db "$dir/copy.db" | grep -q SMOKE-1 || fail "the backup lacks SMOKE-1"

set +e
"$bin" tickets --db "$dir/doesnotexist.db" 2>/dev/null; rc=$?
set -e
[ "$rc" = 2 ] && [ ! -e "$dir/doesnotexist.db" ] || fail "a missing database: exit $rc, or it was created"
curl -sS -X POST "$url/webhooks/jira" | grep -q 'set JIRA_WEBHOOK_SECRET' || fail "an off endpoint does not name its setting"

kill -HUP "$pid"
for _ in $(seq 50); do grep -q 'msg="configuration reloaded"' "$dir/log" && break; sleep 0.1; done
grep -q 'msg="configuration reloaded"' "$dir/log" || fail "SIGHUP did not reload"

kill -TERM "$pid"
wait "$pid" || fail "serve did not stop cleanly"
pid=
if grep -v '^time=[^ ]* level=[A-Z]* msg=' "$dir/log"; then fail "log lines above are not structured"; fi
echo "smoke: ok ($bin)"
