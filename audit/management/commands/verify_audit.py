"""Check the audit chain: exit 0 when intact, 1 (with a report) when a row was tampered with."""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.utils import timezone

from audit.models import ChainCheck, CheckMode
from audit.services import run_check
from audit.verify import AnchorValue, verify_chain

ANCHOR = re.compile(r"(\d+):([0-9a-fA-F]{64})")
# "SEQ:HASH" anywhere in a kept copy of the portal's anchor feed (Atom or JSON) or a text file.
KEPT_ANCHOR = re.compile(r"(?<![0-9A-Za-z])(\d+):([0-9a-f]{64})(?![0-9a-f])")
SHOWN_PROBLEMS = 20


def anchor(value: str) -> tuple[int, str]:
    match = ANCHOR.fullmatch(value.strip())
    if not match:
        raise ValueError(value)
    return int(match.group(1)), match.group(2).lower()


def kept_anchors(text: str, source: str) -> list[AnchorValue]:
    return [
        AnchorValue(seq=int(seq), hash=value, when=source)
        for seq, value in KEPT_ANCHOR.findall(text)
    ]


class Command(BaseCommand):
    help = (
        "Walk the hash-chained audit log in order from the last verified checkpoint (or all of it "
        "with --full), recompute every hash, compare the chain with the heads published on the "
        "portal and any kept elsewhere, and report where it was edited, inserted into, cut off "
        "or rewritten. Exits non-zero on a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="Walk the whole chain, not only the events after the last intact check.",
        )
        parser.add_argument(
            "--anchor",
            action="append",
            type=anchor,
            default=[],
            metavar="SEQ:HASH",
            help="A head printed by an earlier run or published on the portal (kept outside the "
            "database): that event must still exist with that hash. Repeatable.",
        )
        parser.add_argument(
            "--anchors-file",
            action="append",
            default=[],
            metavar="PATH",
            help="A kept copy of the portal's anchor feed (/audit/anchors.json or .atom) or any "
            "text with SEQ:HASH lines. Repeatable.",
        )
        parser.add_argument(
            "--anchors-url",
            action="append",
            default=[],
            metavar="URL",
            help="Fetch the published anchor feed from another copy of the portal. Repeatable.",
        )
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Do not save this run as a check (it then never becomes the next checkpoint).",
        )
        parser.add_argument("--chunk-size", type=int, default=2000)

    def _given_anchors(self, options) -> list[AnchorValue]:
        given = [AnchorValue(seq=seq, hash=value) for seq, value in options["anchor"]]
        for path in options["anchors_file"]:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
            given += kept_anchors(text, path)
        for url in options["anchors_url"]:
            if not url.startswith(("https://", "http://")):
                raise CommandError(f"not an http(s) address: {url}")
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - checked above
                given += kept_anchors(response.read().decode("utf-8"), url)
        return given

    @no_translations  # an operator's tool, like migrate: English output for logs and scripts
    def handle(self, *args, **options) -> None:
        given = self._given_anchors(options)
        mode = CheckMode.FULL if options["full"] else CheckMode.INCREMENTAL
        began = time.monotonic()
        if options["no_record"] or given:
            # Anchors given by hand are the operator's, not the platform's: such a run is not
            # saved as a checkpoint (a later run must not skip what it did not vouch for).
            report = verify_chain(
                chunk_size=options["chunk_size"],
                anchors=given,
                after=None if options["full"] else self._checkpoint(),
            )
        else:
            check = ChainCheck.objects.create(mode=mode, requested=timezone.now())
            report = run_check(check, chunk_size=options["chunk_size"])
        elapsed = time.monotonic() - began
        walked = (
            f"{report.count} events"
            if not report.from_seq
            else f"{report.count} events after checkpoint #{report.from_seq}"
        )
        timing = f"{mode} check, {walked}, {report.anchors_checked} anchor(s), {elapsed:.2f} s"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {walked}"))
            self.stdout.write(timing)
            if report.head_seq is not None:
                self.stdout.write(f"head: {report.head_seq}:{report.head_hash}")
            return
        first = report.first_problem
        assert first is not None
        count = f"{len(report.problems)}{'+' if report.truncated else ''}"
        self.stdout.write(
            self.style.ERROR(
                f"audit chain BROKEN: {count} problem(s) in {walked}; first at event #{first.seq}"
            )
        )
        self.stdout.write(timing)
        for problem in report.problems[:SHOWN_PROBLEMS]:
            self.stdout.write(f"  [{problem.kind}] {problem.message}")
        if len(report.problems) > SHOWN_PROBLEMS:
            self.stdout.write(f"  … and {len(report.problems) - SHOWN_PROBLEMS} more")
        raise CommandError(
            f"audit chain broken at event #{first.seq} ({first.kind}): {first.message}",
            returncode=1,
        )

    @staticmethod
    def _checkpoint():
        from audit.services import checkpoints_of, last_checkpoint

        checkpoint = last_checkpoint()
        return checkpoints_of(checkpoint)[0] if checkpoint else None
