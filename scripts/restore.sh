#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into a NEW database, then check it: the audit chain
# must verify (manage.py verify_audit) before anyone points the portal at it.
#   bash scripts/restore.sh DUMP_FILE SERVER_URL NEW_DATABASE [MEDIA_TAR MEDIA_ROOT]
# SERVER_URL is e.g. postgres://postgres@127.0.0.1:5432 (the database NEW_DATABASE must not
# exist: a restore never overwrites a live database).
set -euo pipefail
cd "$(dirname "$0")/.."
dump="$1"; server="$2"; name="$3"
createdb --maintenance-db="$server/postgres" "$name"
pg_restore --no-owner --exit-on-error --jobs=2 --dbname="$server/$name" "$dump"
if [ $# -ge 5 ]; then
  mkdir -p "$5" && tar -C "$5" -xzf "$4"
fi
DATABASE_URL="$server/$name" .venv/bin/python manage.py migrate --check >/dev/null
DATABASE_URL="$server/$name" .venv/bin/python manage.py verify_audit
