#!/usr/bin/env bash
# Start `make run` as a newcomer would, fetch the portal and the API, check that the Celery
# worker and beat came up, then stop everything with Ctrl-C (SIGINT to the process group).
set -euo pipefail
cd "$(dirname "$0")/.."
if curl -s -o /dev/null http://127.0.0.1:8000/ 2>/dev/null; then
  echo "smoke test: something already listens on 127.0.0.1:8000; stop it first." >&2
  exit 1
fi
log=$(mktemp)
setsid make run >"$log" 2>&1 &
pid=$!
stop() { kill -INT -- "-$pid" 2>/dev/null || true; sleep 3; kill -KILL -- "-$pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null http://127.0.0.1:8000/ 2>/dev/null && break
  sleep 1
done
fail() { echo "smoke test failed: $*"; tail -n 60 "$log"; exit 1; }
# Read each body whole before searching it: `curl | grep -q` fails under pipefail when grep
# stops reading at its first match while curl is still writing (curl: (23)).
portal=$(curl -fsS http://127.0.0.1:8000/) || fail "portal"
grep -q "Atameken" <<<"$portal" || fail "portal does not list Atameken"
api=$(curl -fsS "http://127.0.0.1:8000/api/v1/chambers/?country=KZ") || fail "API"
grep -q '"slug":"atameken"' <<<"$api" || fail "API does not return Atameken"
curl -fsS -o /dev/null http://127.0.0.1:8000/api/docs/ || fail "API docs"
curl -fsS -o /dev/null http://127.0.0.1:8000/admin/login/ || fail "admin login page"
for _ in $(seq 1 30); do
  grep -q "celery@.* ready" "$log" && grep -q "beat: Starting" "$log" && break
  sleep 1
done
grep -q "celery@.* ready" "$log" || fail "Celery worker did not start"
grep -q "beat: Starting" "$log" || fail "Celery beat did not start"
echo "make run serves the portal and the API with a worker and beat."
