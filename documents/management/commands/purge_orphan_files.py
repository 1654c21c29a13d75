"""Remove stored files that no row refers to; safe to run from cron at any time."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from documents.services import purge_orphan_files


class Command(BaseCommand):
    help = "Delete files under files/ that no StoredFile refers to (left by rolled-back uploads)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24,
            help="Only files last modified this many hours ago or earlier (default 24).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List, do not delete.")

    def handle(self, *args, older_than_hours: float, dry_run: bool, **options) -> None:
        names = purge_orphan_files(older_than=timedelta(hours=older_than_hours), dry_run=dry_run)
        for name in names:
            self.stdout.write(name)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(names)} orphan file(s)."))
