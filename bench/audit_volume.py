"""The audit chain at a city's volume (issue 17 §3): fill PostgreSQL with N chained events
quickly, then time the full check, an incremental check after a day's new events, and the
admin's chain-check page.

    .venv/bin/python bench/audit_volume.py                 # 2,000,000 events
    .venv/bin/python bench/audit_volume.py 200000 --reuse   # keep the database if it is full

A benchmark fixture, not a way to record events: rows are computed here, with the same
canonical content and hashes as audit.services.record_event, and written with COPY (several
times faster than one INSERT per event under the chain lock). Deterministic (fixed seed).
Needs PostgreSQL at 127.0.0.1:5432 (user postgres), as the other benchmarks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import VAR, recreate_database  # noqa: E402

ACTIONS = [
    "procurement.lot.announced",
    "procurement.project.created",
    "bidding.bid.submitted",
    "bidding.bid.decrypted",
    "bidding.opening.finished",
    "evaluation.score.submitted",
    "contracts.contract.signed",
    "contracts.payment.recorded",
    "timers.clock.breached",
    "notifications.notification.sent",
]
START = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
SPAN = dt.timedelta(days=5 * 365)


def generate(
    n: int,
    *,
    after_seq: int,
    after_hash: str,
    first_id: int,
    begin: dt.datetime,
    end: dt.datetime,
    actor_id: int,
    org_id: int,
    ct_id: int,
    ct_label: str,
) -> tuple[int, str]:
    """COPY `n` chained events after (after_seq, after_hash); return the new head."""
    from django.db import connection

    from audit.models import canonical_content, sha256_hex

    rng = random.Random(after_seq or 17)  # noqa: S311 - benchmark data
    step = (end - begin) / max(n, 1)
    seq, prev = after_seq, after_hash
    columns = (
        "id, seq, action, actor_id, organisation_id, subject_content_type_id, subject_object_id, "
        "subject_repr, data, created, prev_hash, hash"
    )
    batch = 50_000
    with connection.cursor() as cursor:
        for start in range(0, n, batch):
            buffer = io.StringIO()
            for i in range(start, min(start + batch, n)):
                seq += 1
                action = ACTIONS[rng.randrange(len(ACTIONS))]
                subject_id = str(rng.randrange(1, 100_000))
                data = {"lot": rng.randrange(1, 100_000), "amount": f"{rng.randrange(1, 10**7)}.00"}
                created = begin + step * i
                content = canonical_content(
                    seq=seq,
                    action=action,
                    actor_id=actor_id,
                    organisation_id=org_id,
                    subject_type=ct_label,
                    subject_id=subject_id,
                    subject_repr=f"标段 {subject_id}",
                    data=data,
                    created=created,
                    prev_hash=prev,
                )
                digest = sha256_hex(content)
                row = [
                    str(first_id + seq - after_seq - 1),
                    str(seq),
                    action,
                    str(actor_id),
                    str(org_id),
                    str(ct_id),
                    subject_id,
                    f"标段 {subject_id}",
                    json.dumps(data, ensure_ascii=False).replace("\\", "\\\\"),
                    created.isoformat(),
                    prev,
                    digest,
                ]
                buffer.write("\t".join(row) + "\n")
                prev = digest
            with cursor.copy(f"COPY audit_event ({columns}) FROM STDIN") as copy:  # noqa: S608
                copy.write(buffer.getvalue())
            print(f"  {seq:,} events", flush=True)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), "
            "(SELECT MAX(id) FROM audit_event))"
        )
    return seq, prev


def timed(label: str, function, results: dict) -> object:
    began = time.monotonic()
    value = function()
    results[label] = round(time.monotonic() - began, 2)
    print(f"{label}: {results[label]} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2_000_000)
    parser.add_argument("--database", default="yangguang_audit_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--reuse", action="store_true", help="keep a database already filled")
    parser.add_argument("--day", type=int, default=10_000, help="events of one busy day")
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"{args.pg}/{args.database}",
            "LOG_LEVEL": "WARNING",
        }
    )
    results: dict[str, object] = {"events": args.n}
    if not args.reuse:
        recreate_database(argparse.Namespace(pg=args.pg, database=args.database))
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import Organisation, OrganisationKind, User
    from audit.models import GENESIS_HASH, ChainCheck, Event

    print("migrating…", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    print("migrated", flush=True)
    org, _ = Organisation.objects.get_or_create(
        name="市财政局", defaults={"kind": OrganisationKind.BUREAU}
    )
    user = User.objects.filter(username="bench-bureau").first() or User.objects.create_superuser(
        username="bench-bureau",
        password="bench-only",  # noqa: S106 - a throwaway database
    )
    content_type = ContentType.objects.get_for_model(Organisation)
    label = f"{content_type.app_label}.{content_type.model}"
    common: dict[str, Any] = {
        "actor_id": user.pk,
        "org_id": org.pk,
        "ct_id": content_type.pk,
        "ct_label": label,
    }

    head = Event.objects.order_by("-seq").values_list("seq", "hash").first() or (0, GENESIS_HASH)
    if head[0] < args.n:
        ChainCheck.objects.all().delete()
        timed(
            "generate",
            lambda: generate(
                args.n - head[0],
                after_seq=head[0],
                after_hash=head[1],
                first_id=head[0] + 1,
                begin=START,
                end=START + SPAN,
                **common,
            ),
            results,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE audit_event")
    ChainCheck.objects.all().delete()
    timed("verify_full", lambda: call_command("verify_audit", "--full"), results)
    last = Event.objects.order_by("-seq").values_list("seq", "hash").first()
    assert last is not None
    head = last
    generate(
        args.day,
        after_seq=head[0],
        after_hash=head[1],
        first_id=head[0] + 1,
        begin=START + SPAN,
        end=START + SPAN + dt.timedelta(days=1),
        **common,
    )
    timed("verify_incremental_day", lambda: call_command("verify_audit"), results)
    timed("verify_incremental_nothing_new", lambda: call_command("verify_audit"), results)

    client = Client()
    client.force_login(user)
    url = "/admin/audit/event/verify/"
    client.get(url)
    samples = []
    for _ in range(20):
        began = time.monotonic()
        response = client.get(url)
        samples.append(time.monotonic() - began)
        assert response.status_code == 200, response.status_code
    samples.sort()
    results["admin_check_page_ms_median"] = round(samples[len(samples) // 2] * 1000, 1)
    results["admin_check_page_ms_max"] = round(samples[-1] * 1000, 1)
    print(
        f"admin chain-check page: median {results['admin_check_page_ms_median']} ms, "
        f"max {results['admin_check_page_ms_max']} ms"
    )
    VAR.mkdir(parents=True, exist_ok=True)
    out = VAR / "audit_volume.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
