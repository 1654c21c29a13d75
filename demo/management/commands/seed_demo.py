"""Create the demo data, idempotently: run it again and nothing is duplicated."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.stages import DemoContext, stage_modules


class Command(BaseCommand):
    help = "Create (idempotently) the demo organisations, users and procurement stages."

    def handle(self, *args, **options) -> None:
        ctx = DemoContext()
        for module in stage_modules():
            with transaction.atomic():
                module.run(ctx)
            self.stdout.write(f"  demo stage {module.__name__.rsplit('.', 1)[-1]}: done")
        for line in ctx.log:
            self.stdout.write(self.style.SUCCESS(line))
