"""Check the audit chain: exit 0 when intact, 1 (with a report) when a row was tampered with."""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from audit.verify import verify_chain

ANCHOR = re.compile(r"(\d+):([0-9a-fA-F]{64})")
SHOWN_PROBLEMS = 20


def anchor(value: str) -> tuple[int, str]:
    match = ANCHOR.fullmatch(value.strip())
    if not match:
        raise ValueError(value)
    return int(match.group(1)), match.group(2).lower()


class Command(BaseCommand):
    help = (
        "Walk the hash-chained audit log in order, recompute every hash and report the first "
        "event that was edited, inserted out of order or deleted. Exits non-zero on a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            type=anchor,
            default=[],
            metavar="SEQ:HASH",
            help="A head printed by an earlier run (kept outside the database): that event must "
            "still exist with that hash. Catches deletion of the newest events. Repeatable.",
        )
        parser.add_argument("--chunk-size", type=int, default=2000)

    @no_translations  # an operator's tool, like migrate: English output for logs and scripts
    def handle(self, *args, **options) -> None:
        report = verify_chain(chunk_size=options["chunk_size"], anchors=dict(options["anchor"]))
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.count} events"))
            if report.head_seq is not None:
                self.stdout.write(f"head: {report.head_seq}:{report.head_hash}")
            return
        first = report.first_problem
        assert first is not None
        count = f"{len(report.problems)}{'+' if report.truncated else ''}"
        self.stdout.write(
            self.style.ERROR(
                f"audit chain BROKEN: {count} problem(s) in {report.count} events; "
                f"first at event #{first.seq}"
            )
        )
        for problem in report.problems[:SHOWN_PROBLEMS]:
            self.stdout.write(f"  [{problem.kind}] {problem.message}")
        if len(report.problems) > SHOWN_PROBLEMS:
            self.stdout.write(f"  … and {len(report.problems) - SHOWN_PROBLEMS} more")
        raise CommandError(
            f"audit chain broken at event #{first.seq} ({first.kind}): {first.message}",
            returncode=1,
        )
