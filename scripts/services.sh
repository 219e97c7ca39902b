#!/usr/bin/env bash
# Starts the machine's PostgreSQL and Redis when they are down (or trusts DATABASE_URL/REDIS_URL
# when they point elsewhere). Safe to run any number of times.
set -euo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }

if [ -z "${DATABASE_URL:-}" ] || [[ "${DATABASE_URL}" == *"127.0.0.1"* || "${DATABASE_URL}" == *"localhost"* ]]; then
  if ! pg_up; then
    echo "· starting PostgreSQL"
    if ! command -v pg_ctlcluster >/dev/null; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; fi
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  pg_up || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
fi

if [ -z "${REDIS_URL:-}" ] || [[ "${REDIS_URL}" == *"127.0.0.1"* || "${REDIS_URL}" == *"localhost"* ]]; then
  if ! redis_up; then
    echo "· starting Redis"
    if ! command -v redis-server >/dev/null; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; fi
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  fi
  redis_up || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
fi
