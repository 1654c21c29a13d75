#!/usr/bin/env bash
# Extract translatable strings and compile every catalogue. Run from anywhere:
#   bash scripts/messages.sh
# Strings in an app land in <app>/locale/zh_Hans/LC_MESSAGES/django.po (each app has a locale/
# folder); strings in templates/, config/ and common/ land in locale/zh_Hans/.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
for app in */apps.py; do mkdir -p "$(dirname "$app")/locale"; done
"$py" manage.py makemessages -l zh_Hans --no-location --no-obsolete \
  -i '.venv/*' -i 'static/*' -i 'var/*' -i 'tests/*' -i 'staticfiles/*' >/dev/null
# makemessages wraps at 79 columns, scripts/po_fill.py at 100: write every catalogue the way
# po_fill does, so that extracting again changes nothing but new entries (and list what is
# still untranslated).
for po in */locale/zh_Hans/LC_MESSAGES/django.po locale/zh_Hans/LC_MESSAGES/django.po; do
  "$py" scripts/po_fill.py "$po"
done
"$py" manage.py compilemessages -i .venv >/dev/null
echo "messages: extracted and compiled"
