#!/usr/bin/env bash
# Set up and start the portal with demo data on the embedded default (SQLite + a Celery broker
# on the filesystem): the web server, a Celery worker and Celery beat. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
export DJANGO_SETTINGS_MODULE=config.settings.local
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
port="${PORT:-8000}"
py=.venv/bin/python

$py manage.py migrate --noinput
$py manage.py seed_demo

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the web server, worker and beat…"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$py -m celery -A config worker --pool=solo --loglevel=WARNING &
pids+=($!)
$py -m celery -A config beat --loglevel=WARNING &
pids+=($!)
$py manage.py runserver "127.0.0.1:$port" --noreload &
pids+=($!)

sleep 2
cat <<TXT

  Yangguang is running at http://127.0.0.1:$port/
  Bureau admin:          http://127.0.0.1:$port/admin/
  Demo sign-ins are listed above (password for all: see README). Press Ctrl-C to stop.

TXT
wait -n "${pids[@]}"
