"""Deadline-rush benchmark of sealed bidding (issue 5, item 7). Run it with

    bash scripts/bench_bidding.sh [N]            # N suppliers, default 200

What it does, in order:
1. creates a dedicated PostgreSQL database (default `yangguang_bench_bids`, dropped and made
   anew), migrates it, and seeds N suppliers (one user each, signed in by a session made here),
   a purchaser and the bureau;
2. starts gunicorn with production settings on a free loopback port and, once it answers,
   announces a public tender whose deadline is `--window` seconds (plus 3) ahead, through the
   procurement services (bench/builders.py; the steps before it are backdated with time-machine,
   so the bid period is legal and the lot has its notice and deadline clock);
3. gives each supplier a thread that submits one sealed bid (price, a PDF, a passphrase) at a
   random moment within the last `--window` seconds before the deadline; `--late` of them
   instead try 0–2 s after it;
4. checks the database and the file store: every bid the server accepted was received before
   the deadline and decrypts (with the bidder's passphrase) to the price sent; every attempt
   at or after the deadline was refused; no accepted submission is missing;
5. prints p50/p95 submission latency and the checks as Markdown and writes JSON to var/bench/.

Everything stays on 127.0.0.1 and is bounded (one request per supplier, timeouts). Exit
status 1 when a bid was lost, a late one accepted, one failed to decrypt, or p95 ≥ 1 s with
--check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

if not __package__:  # run as a script (python bench/bidding_bench.py): the repository's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import builders, harness  # noqa: E402

PASSPHRASE = "bench-passphrase-"  # noqa: S105 - benchmark bidders' passphrases
CSRF = "b" * 32  # an unmasked CSRF secret sent as cookie and field alike


@dataclass
class Bidder:
    username: str
    session_key: str
    price: str
    passphrase: str
    at: float = 0.0  # seconds since the epoch when to submit
    late: bool = False
    status: int = 0
    latency: float = 0.0
    error: str = ""
    sent_at: float = 0.0


@dataclass
class Seeded:
    """The people of the benchmark: a purchaser and the bureau (users' ids), and the bidders."""

    purchaser_id: int
    bureau_id: int
    bidders: list[Bidder] = field(default_factory=list)


@dataclass
class Scenario:
    """The announced lot the bidders rush."""

    lot_id: int
    deadline: dt.datetime
    bidders: list[Bidder] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Seeding (in a Django process)


def seed(*, n: int) -> Seeded:
    """N suppliers with sessions, a purchaser and the bureau (Django must be set up)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.base import SessionBase

    from accounts.models import Membership, MembershipRole, Organisation, OrganisationKind, User
    from accounts.uscc import check_character

    def uscc(i: int) -> str:
        body = f"91410100{700000000 + i:09d}"[:17]
        return body + check_character(body)

    password = make_password(None)  # nobody signs in with a password; sessions are made here
    tag = uuid.uuid4().hex[:6]
    staff = {}
    for key, kind, name, serial in [
        ("purchaser", OrganisationKind.PURCHASER, "压测采购人", 0),
        ("bureau", OrganisationKind.BUREAU, "压测财政局", n + 1),
    ]:
        organisation = Organisation.objects.create(
            kind=kind,
            name=f"{name}{tag}",
            uscc=uscc(serial),
            region_code="410100",
            region_name="郑州市",
        )
        user = User.objects.create(username=f"bench-{key}-{tag}", full_name=name, password=password)
        Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.ADMIN)
        staff[key] = user

    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=OrganisationKind.SUPPLIER,
                name=f"压测供应商{tag}-{i:03d}",
                uscc=uscc(i),
                region_code="410100",
                region_name="郑州市",
            )
            for i in range(1, n + 1)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(username=f"bench-s-{tag}-{i:03d}", full_name=f"投标员{i}", password=password)
            for i in range(1, n + 1)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=o, role=MembershipRole.ADMIN)
            for u, o in zip(users, orgs, strict=True)
        ]
    )
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    seeded = Seeded(purchaser_id=staff["purchaser"].pk, bureau_id=staff["bureau"].pk)
    for i, user in enumerate(users, start=1):
        session: SessionBase = store_class()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        assert session.session_key is not None  # create() saved it under a new key
        price = f"{Decimal(1_000_000 + i * 137):.2f}"
        seeded.bidders.append(
            Bidder(
                username=user.username,
                session_key=session.session_key,
                price=price,
                passphrase=f"{PASSPHRASE}{i:03d}",
            )
        )
    return seeded


def announce(seeded: Seeded, *, seconds: float) -> Scenario:
    """A public tender whose deadline is `seconds` from now (whole seconds, like a real notice).

    Every step goes through the procurement services (bench/builders.py), backdated so that
    the bid period is legal: the announcement has its notice and its bid-deadline clock.
    """
    from django.utils import timezone

    from accounts.models import User

    deadline = (timezone.now() + dt.timedelta(seconds=seconds)).replace(microsecond=0)
    project = builders.announced_project(
        purchaser=User.objects.get(pk=seeded.purchaser_id),
        bureau=User.objects.get(pk=seeded.bureau_id),
        deadline=deadline,
    )
    lot = project.lots.get(number=1)
    return Scenario(lot_id=lot.pk, deadline=deadline, bidders=seeded.bidders)


# --------------------------------------------------------------------------------------------
# Load


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, content) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def submit(base: str, lot_id: int, bidder: Bidder, *, timeout: float = 30.0) -> None:
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": CSRF,
            "price": bidder.price,
            "key_method": "passphrase",
            "passphrase": bidder.passphrase,
            "passphrase_again": bidder.passphrase,
            "understood": "on",
        },
        {"files": ("bid.pdf", builders.pdf_bytes(marker=bidder.username))},
    )
    request = urllib.request.Request(  # noqa: S310 - loopback URL
        f"{base}/bidding/lots/{lot_id}/bid/",
        data=body,
        method="POST",
        headers={
            "Content-Type": content_type,
            "Cookie": f"sessionid={bidder.session_key}; csrftoken={CSRF}; yg_device={bidder.username}",
            "Referer": f"{base}/bidding/",
            "User-Agent": "yangguang-bidding-bench",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    bidder.sent_at = time.time()
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=timeout) as response:
            bidder.status = response.status
    except urllib.error.HTTPError as exc:
        bidder.status = exc.code
        if exc.code not in (302, 400):
            bidder.error = exc.read()[:200].decode("utf-8", "replace")
    except OSError as exc:
        bidder.error = repr(exc)
    bidder.latency = time.perf_counter() - started


def run_load(
    base: str,
    scenario: Scenario,
    *,
    window: float,
    late: int,
    slack: float = 1.0,
    max_parallel: int = 0,
    seed_: int = 7,
) -> None:
    """One thread per bidder, each submitting once at its moment (bounded by the timeouts)."""
    rng = random.Random(seed_)
    deadline = scenario.deadline.timestamp()
    for i, bidder in enumerate(scenario.bidders):
        if i < late:
            bidder.late = True
            bidder.at = deadline + rng.uniform(0.0, 2.0)
        else:
            # Leave `slack` for the request itself: "before the deadline" is judged by the
            # server's clock inside the writing transaction, after the sealing work.
            bidder.at = deadline - slack - rng.uniform(0.0, max(window - slack, 0.0))

    gate = threading.BoundedSemaphore(max_parallel or len(scenario.bidders) or 1)

    def worker(bidder: Bidder) -> None:
        pause = bidder.at - time.time()
        if pause > 0:
            time.sleep(pause)
        with gate:
            submit(base, scenario.lot_id, bidder)

    threads = [threading.Thread(target=worker, args=(b,), daemon=True) for b in scenario.bidders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=window + 120)


# --------------------------------------------------------------------------------------------
# Checks (in a Django process)


def verify(scenario: Scenario) -> dict:
    """Accepted bids stored before the deadline and decryptable; late ones refused."""
    from bidding import crypto
    from bidding.models import Bid, BidState

    bids = {
        b.submitted_by.username: b
        for b in Bid.objects.filter(lot_id=scenario.lot_id)
        .select_related("submitted_by")
        .prefetch_related("files")
    }
    lost, late_accepted, undecryptable, early_refused, errors = [], [], [], [], []
    for bidder in scenario.bidders:
        stored = bids.get(bidder.username)
        if bidder.error:
            errors.append(bidder.username)
        if bidder.late:
            if stored is not None or bidder.status == 302:
                late_accepted.append(bidder.username)
            continue
        if bidder.status == 302 and stored is None:
            lost.append(bidder.username)
        elif bidder.status != 302:
            early_refused.append(bidder.username)
        if stored is None:
            continue
        received = stored.received_at
        if received is None or received >= scenario.deadline or stored.state != BidState.SUBMITTED:
            late_accepted.append(bidder.username)
        if stored.kdf_n is None or stored.kdf_r is None or stored.kdf_p is None:
            undecryptable.append(bidder.username)  # sealed without its key-derivation parameters
            continue
        kdf = crypto.KdfParams(
            salt=bytes(stored.kdf_salt), n=stored.kdf_n, r=stored.kdf_r, p=stored.kdf_p
        )
        try:
            key = crypto.decrypt(
                crypto.derive_key(bidder.passphrase, kdf),
                bytes(stored.key_nonce),
                bytes(stored.wrapped_key),
                crypto.aad(str(stored.uuid), scenario.lot_id, "data_key"),
            )
            price = crypto.decrypt(
                key,
                bytes(stored.price_nonce),
                bytes(stored.price_ciphertext),
                crypto.aad(str(stored.uuid), scenario.lot_id, "price"),
            ).decode()
            for f in stored.files.all():
                with f.blob.open("rb") as handle:
                    content = crypto.decrypt(
                        key,
                        bytes(f.nonce),
                        handle.read(),
                        crypto.aad(str(stored.uuid), scenario.lot_id, f.field_name()),
                    )
                if crypto.sha256(content) != f.sha256:
                    raise crypto.WrongKey
            if price != bidder.price:
                raise crypto.WrongKey
        except crypto.WrongKey:
            undecryptable.append(bidder.username)
    on_time = [b for b in scenario.bidders if not b.late and b.status == 302]
    latencies = sorted(b.latency for b in on_time)
    return {
        "bidders": len(scenario.bidders),
        "on_time_attempts": sum(1 for b in scenario.bidders if not b.late),
        "accepted": len(on_time),
        "late_attempts": sum(1 for b in scenario.bidders if b.late),
        "late_refused": sum(1 for b in scenario.bidders if b.late and b.status == 400),
        "lost": lost,
        "late_accepted": late_accepted,
        "undecryptable": undecryptable,
        "on_time_refused": early_refused,
        "errors": errors,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1)
        if latencies
        else None,
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
    }


def ok(report: dict) -> bool:
    return not (
        report["lost"]
        or report["late_accepted"]
        or report["undecryptable"]
        or report["errors"]
        or report["on_time_refused"]
    )


def markdown(report: dict, meta: dict) -> str:
    header = ["bidders", "accepted on time", "late refused / tried", "lost", "late accepted"]
    header += ["undecryptable", "errors", "p50 ms", "p95 ms", "max ms"]
    row = [
        report["bidders"],
        f"{report['accepted']}/{report['on_time_attempts']}",
        f"{report['late_refused']}/{report['late_attempts']}",
        len(report["lost"]),
        len(report["late_accepted"]),
        len(report["undecryptable"]),
        len(report["errors"]),
        report["p50_ms"],
        report["p95_ms"],
        report["max_ms"],
    ]
    return "\n".join(
        [
            f"Sealed bidding at the deadline — {meta['when']}, {meta['cores']} cores, "
            f"{meta['workers']} gunicorn workers, PostgreSQL, scrypt n=2**{meta['scrypt_log2']}",
            "",
            harness.markdown_table(header, [row]),
        ]
    )


# --------------------------------------------------------------------------------------------
# The whole run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = harness.parser(
        "Benchmark sealed bidding at the deadline.",
        n=200,
        n_help="suppliers",
        database="yangguang_bench_bids",
        redis="redis://127.0.0.1:6379/10",
    )
    parser.add_argument("--window", type=float, default=60.0, help="seconds before the deadline")
    parser.add_argument("--late", type=int, default=10, help="suppliers trying after it")
    parser.add_argument("--scrypt-log2", type=int, default=15, help="scrypt cost n=2**this")
    parser.add_argument("--check", action="store_true", help="exit 1 unless every check holds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workers = harness.workers(args)
    media = harness.VAR / "bids-media"
    shutil.rmtree(media, ignore_errors=True)
    harness.begin(
        harness.production_env(
            args, DJANGO_MEDIA_ROOT=str(media), YG_BID_SCRYPT_LOG2=str(args.scrypt_log2)
        )
    )
    harness.recreate_database(args)
    print(f"== database {args.database}: migrating and seeding {args.n} suppliers", flush=True)
    harness.setup_django()
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone

    seeded = seed(n=args.n)
    connections.close_all()
    with harness.serve(workers=workers) as server:
        # Announced only once gunicorn answers (seeding and start-up take a while on a busy
        # machine, and the rush must start before the deadline).
        scenario = announce(seeded, seconds=args.window + 3.0)
        deadline = scenario.deadline
        connections.close_all()
        print(
            f"== gunicorn: {workers} workers on {server.base}; deadline {deadline.isoformat()}",
            flush=True,
        )
        run_load(server.base, scenario, window=args.window, late=args.late)
    print("== checking every stored bid (decrypting each)", flush=True)
    report = verify(scenario)
    meta = {
        "when": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        "cores": harness.cores(),
        "workers": workers,
        "scrypt_log2": settings.BIDDING_SCRYPT_LOG2,
    }
    print(markdown(report, meta))
    harness.write_json(harness.VAR / "bidding.json", {**meta, **report})
    if args.check and (not ok(report) or (report["p95_ms"] or 0) >= 1000):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
