#!/usr/bin/env bash
# Back up the portal: the database (pg_dump, custom format) and, with the local file store,
# the uploaded files (docs/deploy.md, "Backup and restore").
#   bash scripts/backup.sh DATABASE_URL DIRECTORY [MEDIA_ROOT]
# With an object store (YG_S3_BUCKET) back the bucket up with the store's own versioning or
# replication (`mc mirror` for MinIO); the files are content-addressed by StoredFile.sha256.
set -euo pipefail
url="$1"; dir="$2"; media="${3:-}"
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
pg_dump --format=custom --no-owner --file="$dir/yangguang-$stamp.dump" "$url"
if [ -n "$media" ] && [ -d "$media" ]; then
  tar -C "$media" -czf "$dir/media-$stamp.tar.gz" .
fi
echo "$dir/yangguang-$stamp.dump"
