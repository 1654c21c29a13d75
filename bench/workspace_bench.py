"""Benchmark of the pages people work in, at a city's five years (issue 17 §2). Run it with

    bash scripts/bench_workspace.sh                 # fills yangguang_bench_city if missing
    bash scripts/bench_workspace.sh --addresses 100 # fewer addresses per page

What it does:
1. makes sure the city database exists (bench/city.py fills it, about 13 minutes on the
   two-core machine; --refill makes it anew) and migrates it (new indexes);
2. signs in users of each role by sessions made in the database (200 purchasers, the agencies,
   200 suppliers, the bureau);
3. starts gunicorn with production settings on a loopback port (bench/harness.py);
4. measures the framework floor (/bench/floor/), then each page with **every address asked
   for once**: a page of N addresses is N different (user, URL) pairs — each purchaser's own
   project list, each supplier's own bids, the admin list at N different pages, filters and
   searches — so no cache answers a request it answered before;
5. prints requests/s, p50/p95 and the ratio to the floor, the slowest requests, and writes
   the figures as JSON under var/bench/.

Targets (exit status 1 with --check when missed): p95 under 100 ms and at least a third of the
floor's requests/s for every page. Query counts are pinned by tests (tests/scale/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a script (python bench/workspace_bench.py): the repository's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import city, harness  # noqa: E402

TARGET_RATIO = 1 / 3
TARGET_P95_MS = 100.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = harness.parser(
        "Benchmark the signed-in pages and the bureau's admin on a city's five years.",
        n=200,
        n_help="addresses per page (each asked for once)",
        database=city.CITY_DB,
        redis="redis://127.0.0.1:6379/10",
    )
    parser.add_argument("--refill", action="store_true", help="fill the city database anew")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--floor-requests", type=int, default=2000)
    parser.add_argument("--only", default="", help="comma-separated page names to measure")
    parser.add_argument("--output", type=Path, default=None, help="JSON file for the figures")
    parser.add_argument("--check", action="store_true", help="fail when a target is missed")
    return parser.parse_args(argv)


def city_ready(args: argparse.Namespace) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{args.pg}/{args.database}", connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM procurement_project").fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


def sessions(user_ids: list[int]) -> dict[int, str]:
    """A signed-in session for each user (as the login view makes it); user id -> cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.models import User

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = store_class()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.pk] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


def pages(n: int) -> dict[str, list[str]]:
    """Each page's N addresses as "path<TAB>cookie", every one different."""
    from django.db.models import Min

    from accounts.models import Organisation, OrganisationKind
    from procurement.models import Lot, Project

    def first(kind: str, count: int) -> list[int]:
        return list(
            Organisation.objects.filter(kind=kind)
            .order_by("pk")
            .values_list("pk", flat=True)[:count]
        )

    # The fixture gives each organisation one user with the same id (bench/city.py).
    purchasers = first(OrganisationKind.PURCHASER, n)
    agencies = first(OrganisationKind.AGENCY, n)
    suppliers = first(OrganisationKind.SUPPLIER, n)
    bureau = first(OrganisationKind.BUREAU, 1)[0]
    cookie = sessions([*purchasers, *agencies, *suppliers, bureau])

    def each(users: list[int], path: str) -> list[str]:
        return [f"{path}\t{cookie[u]}" for u in (users * (n // len(users) + 1))[:n]]

    own_project = dict(
        Project.objects.filter(purchaser_id__in=purchasers)
        .values("purchaser_id")
        .annotate(first=Min("pk"))
        .values_list("purchaser_id", "first")
    )
    announced = list(
        Lot.objects.filter(state="announced").order_by("pk").values_list("pk", flat=True)[:n]
    )
    bureau_cookie = cookie[bureau]
    admin = {
        "audit/event": [
            *[f"p={p}" for p in range(1, 40)],
            *[f"action_prefix={a}" for a in ("procurement", "procurement.lot", "bidding.bid")],
            *[f"organisation__id__exact={o}" for o in range(1, 40)],
            *[f"q={seq}" for seq in range(1_000_000, 1_000_040)],
            *[f"q=procurement.lot&p={p}" for p in range(1, 20)],
            *[f"q=第{lot}包" for lot in range(1000, 1040)],
            *[f"created__gte=2024-0{m}-01&created__lt=2024-0{m + 1}-01" for m in range(1, 9)],
        ],
        "bidding/bid": [
            *[f"p={p}" for p in range(1, 80)],
            *[f"state=valid&p={p}" for p in range(1, 60)],
            *[f"q=供应商有限公司&p={p}" for p in range(1, 40)],
            *[f"q=第{s}供应商" for s in range(300, 340)],
        ],
        "timers/clock": [
            *[f"p={p}" for p in range(1, 60)],
            *[f"state=running&p={p}" for p in range(1, 60)],
            *["due=today", "due=tomorrow", "breached=yes", "state=met"],
            *[f"kind=contracts.signing&p={p}" for p in range(1, 40)],
            *[f"responsible__id__exact={o}" for o in range(2, 42)],
            *[f"q=第{o}采购单位" for o in range(2, 42)],
        ],
        "notifications/notification": [
            *[f"p={p}" for p in range(1, 60)],
            *[f"read=no&p={p}" for p in range(1, 40)],
            *[f"kind=timers.reminder&p={p}" for p in range(1, 40)],
            *[f"q=supplier-{u}" for u in suppliers[:40]],
            *[f"q=项目{p}开标" for p in range(100, 140)],
        ],
    }
    result = {
        "purchaser_home": each(purchasers, "/accounts/"),
        "purchaser_todo": each(purchasers, "/accounts/todo/"),
        "purchaser_projects": each(purchasers, "/procurement/projects/"),
        "purchaser_lots": each(purchasers, "/procurement/lots/"),
        "purchaser_project": [
            f"/procurement/projects/{own_project[p]}/\t{cookie[p]}" for p in purchasers
        ][:n],
        "purchaser_contracts": each(purchasers, "/contracts/"),
        "purchaser_notifications": each(purchasers, "/notifications/"),
        "agency_projects": each(agencies, "/procurement/projects/"),
        "supplier_home": each(suppliers, "/accounts/"),
        "supplier_todo": each(suppliers, "/accounts/todo/"),
        "supplier_bids": each(suppliers, "/bidding/"),
        "supplier_contracts": each(suppliers, "/contracts/"),
        "supplier_complaints": each(suppliers, "/complaints/"),
        "supplier_notifications": each(suppliers, "/notifications/"),
        "supplier_tenders": each(suppliers, "/procurement/tenders/"),
        "supplier_lot": [
            f"/procurement/tenders/lots/{lot}/\t{cookie[suppliers[i % len(suppliers)]]}"
            for i, lot in enumerate(announced)
        ],
        "bureau_home": [f"/accounts/?n={i}\t{bureau_cookie}" for i in range(n)],
        "bureau_complaints": [f"/complaints/complaints/?n={i}\t{bureau_cookie}" for i in range(n)],
    }
    for model, queries in admin.items():
        result[f"admin_{model.split('/')[1]}"] = [
            f"/admin/{model}/?{q}\t{bureau_cookie}" for q in queries[:n]
        ]
    return result


def measure(base: str, entries: list[str], args: argparse.Namespace, *, requests: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(f"{base}{e}" for e in entries))
    command = [
        harness.PYTHON,
        str(harness.ROOT / "bench" / "loadgen.py"),
        "--urls-file",
        handle.name,
        "--requests",
        str(requests),
        "--duration",
        "120",
        "--concurrency",
        str(args.concurrency),
    ]
    out = subprocess.run(  # noqa: S603 - our own script, loopback URLs
        command, check=True, capture_output=True, text=True, timeout=900
    )
    Path(handle.name).unlink()
    return json.loads(out.stdout)


def table(results: list[dict]) -> str:
    floor = next(r for r in results if r["name"] == "floor")
    rows = []
    for r in results:
        rows.append(
            [
                r["name"],
                r["requests"],
                r["errors"],
                f"{r['rps']:.0f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{r['rps'] / (floor['rps'] or 1):.2f}",
                f"{r['cpu_ms']:.2f}",
                f"{floor['cpu_ms'] / r['cpu_ms']:.2f}" if r["cpu_ms"] else "",
            ]
        )
    header = ["page", "requests", "errors", "requests/s", "p50 ms", "p95 ms", "ratio to floor"]
    header += ["server CPU ms/request", "CPU ratio (floor/page)"]
    return harness.markdown_table(header, rows, text_columns=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workers = harness.workers(args)
    harness.begin(harness.production_env(args))
    filled_in = None
    if args.refill or not city_ready(args):
        timings = city.build(args.pg, args.database, 1.0)
        filled_in = timings["total (without the template)"]
    harness.setup_django()
    from django.db import connections

    addresses = pages(args.n)
    connections.close_all()
    only = {name for name in args.only.split(",") if name}
    results = []
    # A big database and a busy machine: the workers may take a while to answer first.
    with harness.serve(workers=workers, startup_timeout=300) as server:
        print(f"== gunicorn: {workers} workers on {server.base}", flush=True)
        plan = [("floor", [harness.FLOOR], args.floor_requests)]
        plan += [(name, entries, len(entries)) for name, entries in addresses.items()]
        for name, entries, requests in plan:
            if only and name != "floor" and name not in only:
                continue
            cpu_before = server.cpu_seconds()
            figures = measure(server.base, entries, args, requests=requests)
            cpu = server.cpu_seconds() - cpu_before
            figures["cpu_ms"] = round(cpu * 1000 / figures["requests"], 3) if figures else 0.0
            figures["name"] = name
            figures["path"] = entries[0].split("\t")[0]
            results.append(figures)
            print(
                f"   {name:<26} {figures['rps']:>7.1f} req/s  p50 {figures['p50_ms']:.1f} ms"
                f"  p95 {figures['p95_ms']:.1f} ms  CPU {figures['cpu_ms']:.2f} ms/request"
                f"  errors {figures['errors']} {figures['statuses']}",
                flush=True,
            )
    slowest = sorted(
        ((ms, path, r["name"]) for r in results for ms, path in r["slowest"]), reverse=True
    )[:10]
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {harness.cores()} cores, "
        f"Python {platform.python_version()}",
        "database": args.database,
        "filled_in_seconds": filled_in,
        "workers": workers,
        "concurrency": args.concurrency,
        "addresses_per_page": args.n,
        "results": results,
        "slowest": slowest,
    }
    output = args.output or harness.VAR / "workspace.json"
    harness.write_json(output, report)
    print()
    print(table(results))
    print("\nslowest requests:")
    for ms, path, name in slowest:
        print(f"   {ms:>8.1f} ms  {name:<26} {path}")
    print(f"\nfigures written to {output}")
    floor = next(r for r in results if r["name"] == "floor")["rps"] or 1.0
    failing = [r["name"] for r in results if r["errors"]]
    slow = [
        r["name"] for r in results if r["rps"] < floor * TARGET_RATIO or r["p95_ms"] > TARGET_P95_MS
    ]
    if failing:
        print(f"ERRORS on: {', '.join(failing)}")
    if slow:
        print(f"missing a target (p95 < 100 ms, a third of the floor): {', '.join(slow)}")
    return 1 if failing or (args.check and slow) else 0


if __name__ == "__main__":
    raise SystemExit(main())
