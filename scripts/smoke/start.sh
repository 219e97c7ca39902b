#!/usr/bin/env bash
# Front-door smoke: the README's start command in a fresh clone (no node_modules, no .env, no build), as a
# new user runs it. Passes when the portal is healthy, readings from all four demo provider kinds are stored,
# the DGA sandbox has answered with a receipt, and Ctrl-C stops everything. Then starts it a second time
# in the same clone (idempotent: migrations and seed again, no rebuild) and stops it again.
# Leaves the built clone in $SMOKE_KEEP (if set) for scripts/smoke/prod.mjs --built.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/sh-smoke-start.XXXXXX)
run_id=$(date +%s)$$
db="smarthydro_smoke_start_${run_id}"
export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/${db}" REDIS_NAMESPACE="shsmoke-start-${run_id}"
log() { echo "[smoke:start] $*"; }

for port in 3000 3100 4010 4011 4012 4013 4014 9464; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is busy: stop what runs there first" >&2; exit 1; fi
done

finish() {
  local rc=$?
  [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"${db}\" WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli --scan --pattern "${REDIS_NAMESPACE}*" | xargs -r redis-cli del >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then log "FAILED; last lines of the logs:"; tail -n 30 "$work"/start-*.log "$work"/smarthydro/var/log/*.log 2>/dev/null || true; fi
  if [ -n "${SMOKE_KEEP:-}" ] && [ $rc -eq 0 ]; then rm -rf "$SMOKE_KEEP"; mv "$work/smarthydro" "$SMOKE_KEEP"; fi
  rm -rf "$work"
  exit $rc
}
trap finish EXIT

git clone -q --no-hardlinks "$repo" "$work/smarthydro"
cd "$work/smarthydro"
[ ! -e node_modules ] && [ ! -e .env ] || { echo "the clone is not fresh" >&2; exit 1; }

sql() { psql -At -h 127.0.0.1 -U postgres -d "$db" -c "$1" 2>/dev/null || true; }
wait_for() { # description, seconds, command…
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 "$secs"); do
    if "$@"; then log "$what (after $(( $(date +%s) - round_start ))s)"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "start.sh exited before: $what" >&2; return 1; }
    sleep 1
  done
  echo "timed out after ${secs}s waiting for: $what" >&2; return 1
}
healthy() { curl -sf http://127.0.0.1:3000/api/health >/dev/null; }
api_ready() { curl -sf http://127.0.0.1:3200/health/ready >/dev/null; }
four_kinds() {
  [ "$(sql "SELECT count(DISTINCT a.kind) FROM measurement m JOIN point_binding b ON b.point_id = m.point_id
            JOIN provider_account a ON a.id = b.account_id")" = "4" ]
}
receipt() { [ "$(sql "SELECT count(*) FROM dga_attempt WHERE receipt IS NOT NULL")" -gt 0 ] 2>/dev/null; }
stopped() { ! kill -0 "$pid" 2>/dev/null; }

for round in 1 2; do
  round_start=$(date +%s)
  setsid ./scripts/start.sh > "$work/start-$round.log" 2>&1 &
  pid=$!
  wait_for "round $round: portal healthy" 1200 healthy
  wait_for "round $round: REST API process ready" 60 api_ready
  if [ "$round" = 1 ]; then
    wait_for "readings from all four provider kinds stored" 300 four_kinds
    wait_for "a DGA sandbox receipt recorded" 600 receipt
  else
    grep -q "building" "$work/start-2.log" && { echo "the second start rebuilt although nothing changed" >&2; exit 1; }
    wait_for "round 2: readings still flowing" 300 four_kinds
  fi
  kill -TERM "$pid"   # what Ctrl-C does through start.sh's trap (a background job here ignores SIGINT)
  for _ in $(seq 1 60); do stopped && break; sleep 1; done
  stopped || { echo "start.sh did not stop" >&2; exit 1; }
  sleep 1
  for port in 3000 3100 3200 4010 9464; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port still open after the stop" >&2; exit 1; fi
  done
  log "round $round: stopped cleanly ($(( $(date +%s) - round_start ))s in all)"
  pid=
done
log "passed"
