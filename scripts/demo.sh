#!/usr/bin/env bash
# Set up and start the portal with demo data on the embedded default (SQLite + a Celery broker
# on the filesystem): the web server, a Celery worker and Celery beat. Ctrl-C stops all three.
# The demo runs as a visitor meets the product (config/settings/demo.py): DEBUG off, so missing
# pages and errors show the portal's Chinese 404 and 500 pages; WhiteNoise serves the static
# files; each e-mail is one line on the console, its link on the address served here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
export DJANGO_SETTINGS_MODULE=config.settings.demo
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
port="${PORT:-8000}"
# Links in e-mails and SMS (notifications/services.py) point where this demo serves.
export SITE_URL="http://127.0.0.1:$port"
py=.venv/bin/python

$py manage.py migrate --noinput

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
# Seeded with the worker running: the e-mails it sends print while the stages run, and the
# sign-ins below come after them.
$py manage.py seed_demo
$py manage.py runserver "127.0.0.1:$port" --noreload &
pids+=($!)

queue="${YG_VAR_DIR:-var}/celery/queue"
for _ in $(seq 60); do  # until the worker has taken every message the seed queued
  [ -z "$(ls -A "$queue" 2>/dev/null)" ] && break
  sleep 1
done
sleep 2
password=$($py -c "from demo.stages import DEMO_PASSWORD; print(DEMO_PASSWORD)")
cat <<TXT

  Yangguang is running at http://127.0.0.1:$port/
  Bureau admin:          http://127.0.0.1:$port/admin/
  Demo sign-ins (password for all: $password):
    bureau (平顶山市财政局, also the admin), purchaser, purchaser2, agency,
    supplier, supplier2, supplier3, supplier4, bank, expert1 … expert6
  E-mails the portal sends are printed below, one line each. Press Ctrl-C to stop.

TXT
wait -n "${pids[@]}"
