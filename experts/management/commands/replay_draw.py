"""Replay an expert draw from its record and say whether it gives the same experts.

    python manage.py replay_draw <draw id>
    python manage.py replay_draw --file draw-12-1.json   (the JSON the committee page offers)

Exit status 0 when the replay matches, 1 when it does not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from experts.models import Draw
from experts.services import replay


class Command(BaseCommand):
    help = "Replay an expert draw (by id or from its JSON export) and check the experts drawn."

    def add_arguments(self, parser) -> None:
        parser.add_argument("draw_id", nargs="?", type=int)
        parser.add_argument("--file", help="A draw exported as JSON from the committee page.")

    def handle(self, *args, draw_id: int | None = None, file: str | None = None, **options):
        if (draw_id is None) == (file is None):
            raise CommandError("Give a draw id or --file, not both.")
        if file is not None:
            try:
                document = json.loads(Path(file).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read {file}: {error}") from error
            source = f"file {file}"
            result = replay(document)
        else:
            draw = Draw.objects.filter(pk=draw_id).first()
            if draw is None:
                raise CommandError(f"No draw {draw_id}.")
            source = f"draw {draw.pk} (committee {draw.committee_id}, number {draw.number})"
            result = replay(draw)
        self.stdout.write(f"Replaying {source}")
        self.stdout.write(f"  recorded: {result.drawn}")
        self.stdout.write(f"  replayed: {result.replayed}")
        for problem in result.problems:
            self.stdout.write(f"  problem: {problem}")
        if result.matches:
            self.stdout.write(self.style.SUCCESS("MATCHES: the seed gives the experts recorded."))
            return
        self.stdout.write(self.style.ERROR("DOES NOT MATCH"))
        sys.exit(1)
