"""Five years of a city in PostgreSQL, fast: the fixture of the workspace benchmark (issue 17).

    .venv/bin/python bench/city.py                 # yangguang_bench_city, full size
    .venv/bin/python bench/city.py --scale 0.01    # a hundredth (the test runs this)

A city of Pingdingshan's size at 10,000 procurements a year, five years of it: 50,000
projects, 100,000 lots, 300,000 bids, evaluations, awards, contracts, instalments and payments
as far as each lot got, 130,000 announcements, 2,000,000 audit events (a valid hash chain),
1,000,000 notifications and 500,000 clocks of which 5,000 open.

**This is a fixture, not a way to procure.** It writes the rows straight into the tables, in
the shapes the services write them (states, stamps and foreign keys consistent along each
lot's life: a lot awarded has its opened bids, an evaluation, an award and a contract; a lot
still announced has sealed bids only), but it runs no service: no history rows, no PDFs, no
stored files, no deliveries. How:

1. the migrated, empty schema is kept as a template database (`yangguang_bench_schema`,
   migrated once, again only when the code's migrations change) and the city database is
   created from it — migrating takes minutes on a busy two-core machine, copying a template
   a second;
2. the big tables lose their secondary indexes and foreign keys, every table is filled with
   one `INSERT … SELECT` over `generate_series` inside PostgreSQL (columns the fixture does not
   name get their type's empty value, so a new NOT NULL column never breaks it), the audit
   events — whose hashes chain — are computed in Python and sent with COPY;
3. the indexes and foreign keys are built again (the foreign keys are checked then), the
   sequences moved past the rows, and every table analysed.

Deterministic: the same scale gives the same rows. Time is the point of the fixture: it is
printed per step, and `--check` fails above 15 minutes.
"""

# The SQL below is made of this file's own constants and names read from the catalogue, no input:
# ruff: noqa: S608
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DB = "yangguang_bench_schema"
CITY_DB = "yangguang_bench_city"
PASSWORD = "bench-city-password"  # noqa: S105 - every fixture user's; loopback only
LIMIT_SECONDS = 15 * 60

# Full-size counts; --scale multiplies them (the organisations stay).
PROJECTS = 50_000
AUDIT_EVENTS = 2_000_000
NOTIFICATIONS = 1_000_000
CLOCKS = 500_000
OPEN_CLOCKS = 5_000
PURCHASERS = 200
AGENCIES = 20
SUPPLIERS = 3_000
# The big tables: secondary indexes and foreign keys are dropped before and built after.
BIG = [
    "procurement_project",
    "procurement_lot",
    "procurement_announcement",
    "procurement_announcement_lots",
    "bidding_bid",
    "bidding_opening",
    "evaluation_evaluation",
    "evaluation_award",
    "contracts_contract",
    "contracts_paymentinstalment",
    "contracts_payment",
    "audit_event",
    "notifications_notification",
    "timers_clock",
]

EMPTY = {
    "character varying": "''",
    "text": "''",
    "integer": "0",
    "smallint": "0",
    "bigint": "0",
    "numeric": "0",
    "boolean": "false",
    "jsonb": "'{}'::jsonb",
    "bytea": "'\\x'::bytea",
    "uuid": "gen_random_uuid()",
    "interval": "interval '0'",
    "timestamp with time zone": "t",
    "date": "t::date",
    "inet": "NULL",
}


def log(message: str) -> None:
    print(message, flush=True)


@contextmanager
def step(name: str, timings: dict[str, float]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 1)
    log(f"   {name:<34} {timings[name]:>7.1f} s")


def code_migrations() -> str:
    """A digest of the code's migration files (the template is migrated when it changes)."""
    names = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/migrations/0*.py")
        if path.parent.parent.name != "bench"
    )
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def ensure_schema(pg: str) -> None:
    """The migrated empty schema as a template database, migrated only when it is out of date.

    Made once (a full migration takes minutes on a busy two-core machine); later migrations are
    applied to it as they come, like to any database.
    """
    import psycopg
    from psycopg import sql

    want = code_migrations()
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [SCHEMA_DB]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCHEMA_DB)))
    with psycopg.connect(f"{pg}/{SCHEMA_DB}", autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_schema_stamp (value text)")
        row = conn.execute("SELECT value FROM bench_schema_stamp").fetchone()
    if row and row[0] == want:
        return
    log(f"== migrating the template database {SCHEMA_DB} (when the migrations change)")
    env = {**os.environ, "DATABASE_URL": f"{pg}/{SCHEMA_DB}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    with psycopg.connect(f"{pg}/{SCHEMA_DB}", autocommit=True) as conn:
        conn.execute("DELETE FROM bench_schema_stamp")
        conn.execute("INSERT INTO bench_schema_stamp VALUES (%s)", [want])


def create_city(pg: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        name = sql.Identifier(database)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, sql.Identifier(SCHEMA_DB))
        )


class Filler:
    """INSERT … SELECT with the columns a table has; the unnamed ones get their empty value."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.columns: dict[str, list[tuple[str, str, bool]]] = {}
        for table, column, data_type, nullable in conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable = 'YES' "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "ORDER BY table_name, ordinal_position"
        ):
            self.columns.setdefault(table, []).append((column, data_type, nullable))

    def fill(self, table: str, source: str, values: dict[str, str]) -> int:
        """Insert one row per row of `source` (SQL after FROM; it must yield a column `t`)."""
        names, exprs = [], []
        for column, data_type, nullable in self.columns[table]:
            if column in values:
                expr = values[column]
            elif column == "id" or nullable:
                continue
            else:
                expr = EMPTY[data_type]
            names.append(f'"{column}"')
            exprs.append(f"{expr}")
        unknown = set(values) - {c for c, _, _ in self.columns[table]}
        if unknown:
            raise SystemExit(f"{table} has no columns {sorted(unknown)}: update bench/city.py")
        query = f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {source}"
        return self.conn.execute(query).rowcount


def drop_constraints(conn) -> list[str]:
    """Drop the big tables' secondary indexes and foreign keys; return the SQL to rebuild them."""
    rebuild: list[str] = []
    tables = ", ".join(f"'{t}'" for t in BIG)
    for table, name, definition in conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype IN ('f', 'u') AND conrelid::regclass::text IN ({tables})"
    ).fetchall():
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        f"AND tablename IN ({tables}) AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE contype = 'p')"
    ).fetchall():
        conn.execute(f'DROP INDEX "{name}"')
        rebuild.insert(0, definition)
    # Foreign keys pointing INTO the big tables from others (history, m2m) go too.
    for table, name, definition in conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype = 'f' AND confrelid::regclass::text IN ({tables}) "
        f"AND conrelid::regclass::text NOT IN ({tables})"
    ).fetchall():
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return rebuild


def scalar(conn, query: str) -> int:
    row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def content_types(conn) -> dict[str, int]:
    return {
        f"{app}.{model}": pk
        for pk, app, model in conn.execute("SELECT id, app_label, model FROM django_content_type")
    }


def password_hash() -> str:
    """Django's PBKDF2 hash of PASSWORD, computed once for every fixture user."""
    import base64

    iterations, salt = 1_000_000, "benchcitysalt0001"
    digest = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


# --- the city --------------------------------------------------------------------------------

START = "timestamptz '2021-12-01 08:00+08'"
SPAN = "interval '1825 days'"


def organisations(fill: Filler) -> None:
    """The bureau, purchasers in 12 districts, agencies and suppliers; one user each."""
    fill.fill(
        "accounts_organisation",
        f"(SELECT g, {START} AS t, CASE WHEN g = 1 THEN 'bureau' "
        f"WHEN g <= 1 + {PURCHASERS} THEN 'purchaser' "
        f"WHEN g <= 1 + {PURCHASERS} + {AGENCIES} THEN 'agency' ELSE 'supplier' END AS kind "
        f"FROM generate_series(1, 1 + {PURCHASERS} + {AGENCIES} + {SUPPLIERS}) g) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "kind": "kind",
            "name": "CASE kind WHEN 'bureau' THEN '平顶山市财政局' "
            "WHEN 'purchaser' THEN '平顶山市第' || g || '采购单位' "
            "WHEN 'agency' THEN '平顶山第' || g || '招标代理有限公司' "
            "ELSE '平顶山第' || g || '供应商有限公司' END",
            "uscc": "'91410400' || lpad(g::text, 10, '0')",
            "region_code": "'4104' || lpad((g % 12)::text, 2, '0')",
            "region_name": "'平顶山市'",
            "is_active": "true",
        },
    )
    fill.fill(
        "accounts_user",
        "(SELECT o.id AS g, o.kind, o.created AS t FROM accounts_organisation o) s",
        {
            "id": "g",
            "password": f"'{password_hash()}'",
            "username": "kind || '-' || g",
            "full_name": "'用户' || g",
            "email": "kind || '-' || g || '@bench.example'",
            "is_active": "true",
            "date_joined": "t",
        },
    )
    fill.fill(
        "accounts_membership",
        "(SELECT o.id AS g, o.created AS t FROM accounts_organisation o) s",
        {
            "created": "t",
            "modified": "t",
            "role": "'admin'",
            "user_id": "g",
            "organisation_id": "g",
        },
    )


def projects(fill: Filler, n: int) -> None:
    """n projects over five years, each with its filed plan and two lots."""
    purchaser = f"(2 + (g % {PURCHASERS}))"
    when = f"({START} + {SPAN} * (g::float8 / {n}))"
    fill.fill(
        "procurement_implementationplan",
        f"(SELECT g, {when} AS t FROM generate_series(1, {n}) g) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "project_name": "'项目' || g",
            "kind": "(ARRAY['goods','services','works'])[1 + g % 3]",
            "method": "'public_tender'",
            "budget": "100000 + (g % 97) * 10000",
            "sme_mode": "'none'",
            "status": "'filed'",
            "submitted_at": "t",
            "filed_at": "t",
            "agency_id": f"2 + {PURCHASERS} + (g % {AGENCIES})",
            "created_by_id": purchaser,
            "filed_by_id": "1",
            "purchaser_id": purchaser,
            "intention_exempt": "true",
        },
    )
    fill.fill(
        "procurement_project",
        f"(SELECT g, {when} AS t FROM generate_series(1, {n}) g) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "code": "'PDS-' || to_char(t, 'YYYY') || '-' || lpad(g::text, 6, '0')",
            "name": "'平顶山市' || (ARRAY['教学设备','办公家具','物业管理','医疗设备','道路维修'])"
            "[1 + g % 5] || '采购项目' || g",
            "kind": "(ARRAY['goods','services','works'])[1 + g % 3]",
            "method": "'public_tender'",
            "budget": "100000 + (g % 97) * 10000",
            "sme_mode": "'none'",
            "contact_name": "'联系人'",
            "contact_phone": "'0375-0000000'",
            "agency_id": f"2 + {PURCHASERS} + (g % {AGENCIES})",
            "created_by_id": purchaser,
            "plan_id": "g",
            "purchaser_id": purchaser,
        },
    )
    # Two lots each. The last 2 % of the projects are still in bidding (announced, sealed
    # bids), the 2 % before in evaluation; of the rest 8 % failed, 2 % cancelled, 90 % awarded.
    fill.fill(
        "procurement_lot",
        f"(SELECT p.id AS pid, k, (p.id - 1) * 2 + k AS g, p.created AS t, p.budget, "
        f"CASE WHEN p.id > {n} * 0.98 THEN 'announced' "
        f"WHEN p.id > {n} * 0.96 THEN 'evaluating' "
        "WHEN ((p.id - 1) * 2 + k) % 50 < 4 THEN 'failed' "
        "WHEN ((p.id - 1) * 2 + k) % 50 = 4 THEN 'cancelled' ELSE 'awarded' END AS state "
        "FROM procurement_project p, generate_series(1, 2) k) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "number": "k",
            "name": "'第' || k || '包'",
            "kind": "'goods'",
            "budget": "budget / 2",
            "max_price": "budget / 2",
            "evaluation_method": "CASE WHEN g % 3 = 0 THEN 'comprehensive' ELSE 'lowest_price' END",
            "price_weight": "CASE WHEN g % 3 = 0 THEN 30 END",
            "bid_deadline": "CASE WHEN state = 'announced' THEN now() + interval '10 days' "
            "+ (g % 1000) * interval '5 minutes' ELSE t + interval '21 days' END",
            "decryption_window_minutes": "30",
            "documents_issued_at": "t + interval '1 day'",
            "documents_until": "t + interval '6 days'",
            "state": "state",
            "announced_at": "t + interval '1 day'",
            "closed_at": "CASE WHEN state IN ('awarded','failed') THEN t + interval '30 days' END",
            "cancelled_at": "CASE WHEN state = 'cancelled' THEN t + interval '10 days' END",
            "project_id": "pid",
        },
    )


def bids(fill: Filler) -> None:
    """Three bids per lot that reached its deadline, by three different suppliers."""
    supplier = f"(2 + {PURCHASERS} + {AGENCIES} + ((l.id * 7 + k * 1013) % {SUPPLIERS}))"
    fill.fill(
        "bidding_bid",
        f"(SELECT l.id AS lot, l.state AS lot_state, l.max_price, k, (l.id - 1) * 3 + k AS g, "
        f"l.announced_at + interval '5 days' + k * interval '1 hour' AS t, {supplier} AS sup "
        "FROM procurement_lot l, generate_series(1, 3) k WHERE l.state <> 'cancelled') s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "state": "CASE WHEN lot_state = 'announced' THEN 'submitted' "
            "WHEN lot_state = 'failed' THEN 'invalid' ELSE 'valid' END",
            "received_at": "t",
            "key_method": "'passphrase'",
            "kdf_salt": "decode(md5(g::text), 'hex')",
            "kdf_n": "32768",
            "kdf_r": "8",
            "kdf_p": "1",
            "key_nonce": "decode(substr(md5(g::text || 'k'), 1, 24), 'hex')",
            "wrapped_key": "decode(md5(g::text || 'w') || md5(g::text || 'x'), 'hex')",
            "price_nonce": "decode(substr(md5(g::text || 'n'), 1, 24), 'hex')",
            "price_ciphertext": "decode(md5(g::text || 'p'), 'hex')",
            "manifest_nonce": "decode(substr(md5(g::text || 'm'), 1, 24), 'hex')",
            "manifest_ciphertext": "decode(md5(g::text || 'c'), 'hex')",
            "price_commitment": "decode(md5(g::text || 'h') || md5(g::text || 'i'), 'hex')",
            "sme_items": "'[]'::jsonb",
            "integrity_failure": "'{}'::jsonb",
            "format_version": "2",
            "price": "CASE WHEN lot_state <> 'announced' THEN max_price * (0.80 + k * 0.05) END",
            "decrypted_at": "CASE WHEN lot_state <> 'announced' THEN t + interval '2 days' END",
            "lot_id": "lot",
            "submitted_by_id": "sup",
            "supplier_id": "sup",
            "arrangement": "''",
        },
    )


def openings(fill: Filler) -> None:
    """The opening of every lot past its deadline, finished with its record: its bids are no
    longer sealed (common.sealing; the audit and notification lists leave sealed ones out)."""
    fill.fill(
        "bidding_opening",
        "(SELECT l.id AS g, l.bid_deadline AS t FROM procurement_lot l "
        "WHERE l.state IN ('evaluating', 'awarded', 'failed')) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "started_at": "t",
            "window_ends_at": "t + interval '30 minutes'",
            "finished_at": "t + interval '1 hour'",
            "confirmation_ends_at": "t + interval '2 hours'",
            "record": "'{}'::jsonb",
            "lot_id": "g",
        },
    )


def outcomes(fill: Filler) -> None:
    """Evaluations, awards (the lowest price, k = 1), contracts, instalments and payments."""
    openings(fill)
    fill.fill(
        "evaluation_evaluation",
        "(SELECT l.id AS g, l.state AS lot_state, l.bid_deadline + interval '1 day' AS t "
        "FROM procurement_lot l WHERE l.state IN ('evaluating', 'awarded', 'failed')) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "state": "CASE lot_state WHEN 'evaluating' THEN 'scoring' "
            "WHEN 'failed' THEN 'failed' ELSE 'decided' END",
            "started_at": "t",
            "qualification_done_at": "t + interval '2 hours'",
            "compliance_done_at": "t + interval '3 hours'",
            "reported_at": "CASE WHEN lot_state <> 'evaluating' THEN t + interval '5 hours' END",
            "report": "'{}'::jsonb",
            "tie_draw": "'{}'::jsonb",
            "failed_reason": "CASE WHEN lot_state = 'failed' THEN '有效投标不足三家' ELSE '' END",
            "lot_id": "g",
        },
    )
    fill.fill(
        "evaluation_award",
        "(SELECT l.id AS g, b.id AS bid, b.price, l.bid_deadline + interval '3 days' AS t, "
        "p.purchaser_id FROM procurement_lot l JOIN procurement_project p ON p.id = l.project_id "
        "JOIN bidding_bid b ON b.id = (l.id - 1) * 3 + 1 WHERE l.state = 'awarded') s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "rank": "1",
            "price": "price",
            "decided_at": "t",
            "passed_over": "'[]'::jsonb",
            "notice_issued_at": "t + interval '1 day'",
            "bid_id": "bid",
            "decided_by_id": "purchaser_id",
            "lot_id": "g",
            "evaluation_id": "g",
        },
    )
    # Contracts: older ones closed (paid), the last months' still signed or drafted.
    fill.fill(
        "contracts_contract",
        "(SELECT a.id AS g, a.price, a.lot_id, b.supplier_id, p.purchaser_id, a.decided_at "
        "+ interval '5 days' AS t, CASE WHEN a.decided_at > now() - interval '60 days' "
        "THEN 'drafted' WHEN a.decided_at > now() - interval '240 days' THEN 'signed' "
        "ELSE 'closed' END AS state FROM evaluation_award a JOIN bidding_bid b ON b.id = a.bid_id "
        "JOIN procurement_lot l ON l.id = a.lot_id "
        "JOIN procurement_project p ON p.id = l.project_id) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "number": "'HT-' || to_char(t, 'YYYY') || '-' || lpad(g::text, 7, '0')",
            "title": "'采购合同' || g",
            "amount": "price",
            "delivery_place": "'平顶山市'",
            "delivery_days": "30",
            "acceptance_days": "7",
            "supplier_bank_name": "'中国银行平顶山分行'",
            "supplier_account_name": "'供应商'",
            "supplier_account_number": "lpad(g::text, 16, '6')",
            "state": "state",
            "drafted_at": "t",
            "signed_at": "CASE WHEN state <> 'drafted' THEN t + interval '3 days' END",
            "filed_at": "CASE WHEN state <> 'drafted' THEN t + interval '5 days' END",
            "delivered_at": "CASE WHEN state = 'closed' THEN t + interval '40 days' END",
            "accepted_at": "CASE WHEN state = 'closed' THEN t + interval '45 days' END",
            "paid_at": "CASE WHEN state = 'closed' THEN t + interval '55 days' END",
            "closed_at": "CASE WHEN state = 'closed' THEN t + interval '56 days' END",
            "award_id": "g",
            "drafted_by_id": "purchaser_id",
            "lot_id": "lot_id",
            "purchaser_id": "purchaser_id",
            "supplier_id": "supplier_id",
            "template_id": "(SELECT min(id) FROM contracts_contracttemplate)",
        },
    )
    fill.fill(
        "contracts_paymentinstalment",
        "(SELECT c.id AS g, c.amount, c.created AS t FROM contracts_contract c) s",
        {
            "id": "g",
            "position": "1",
            "kind": "'final'",
            "share": "100",
            "amount": "amount",
            "condition": "'accepted'",
            "contract_id": "g",
        },
    )
    fill.fill(
        "contracts_payment",
        "(SELECT c.id AS g, c.amount, c.paid_at AS t, c.purchaser_id, c.supplier_id "
        "FROM contracts_contract c WHERE c.state = 'closed') s",
        {
            "id": "g",
            "kind": "'final'",
            "amount": "amount",
            "voucher_number": "'PZ' || g",
            "paid_on": "t::date",
            "recorded_at": "t",
            "confirmed_by_supplier_at": "t + interval '1 day'",
            "confirmed_by_id": "supplier_id",
            "contract_id": "g",
            "recorded_by_id": "purchaser_id",
            "instalment_id": "g",
        },
    )


def announcements(fill: Filler) -> None:
    """A tender announcement per project, a result announcement per awarded lot."""
    common = {
        "created": "t",
        "modified": "t",
        "region_code": "'410402'",
        "method": "'public_tender'",
        "status": "'published'",
        "published_at": "t",
        "purchaser_id": "purchaser_id",
        "agency_id": "agency_id",
        "created_by_id": "purchaser_id",
        "data": "'{}'::jsonb",
    }
    fill.fill(
        "procurement_announcement",
        "(SELECT p.id AS g, p.name, p.budget, p.purchaser_id, p.agency_id, p.plan_id, "
        "p.created + interval '1 day' AS t FROM procurement_project p) s",
        {
            **common,
            "id": "g",
            "kind": "'tender'",
            "title": "name || '招标公告'",
            "budget": "budget",
            "search_text": "name || ' 招标公告'",
            "project_id": "g",
            "plan_id": "plan_id",
        },
    )
    fill.fill(
        "procurement_announcement",
        "(SELECT 1000000 + a.id AS g, p.name, p.purchaser_id, p.agency_id, a.lot_id, p.id AS pid, "
        "a.notice_issued_at AS t FROM evaluation_award a JOIN procurement_lot l ON l.id = a.lot_id "
        "JOIN procurement_project p ON p.id = l.project_id) s",
        {
            **common,
            "id": "g",
            "kind": "'result'",
            "title": "name || '中标结果公告'",
            "search_text": "name || ' 中标结果公告'",
            "project_id": "pid",
            "lot_id": "lot_id",
        },
    )
    fill.conn.execute(
        "UPDATE evaluation_award SET announcement_id = 1000000 + id"
    )  # the award's result announcement
    fill.fill(
        "procurement_announcement_lots",
        "(SELECT l.project_id AS a, l.id AS lot, l.created AS t FROM procurement_lot l) s",
        {"announcement_id": "a", "lot_id": "lot"},
    )


def notifications(fill: Filler, n: int, projects: int, types: dict[str, int]) -> None:
    """n notifications to the purchasers and suppliers over five years; the last 2 % unread."""
    kinds = "(ARRAY['procurement.plan_filed','timers.reminder','evaluation.result_decided'])"
    users = 1 + PURCHASERS + AGENCIES + SUPPLIERS
    fill.fill(
        "notifications_notification",
        f"(SELECT g, {START} + {SPAN} * (g::float8 / {n}) AS t, "
        f"2 + (g::bigint * 7919) % ({users} - 1) AS rcpt, 1 + (g % {projects}) AS pid "
        f"FROM generate_series(1, {n}) g) s",
        {
            "id": "g",
            "kind": f"{kinds}[1 + g % 3]",
            "title": "'项目' || pid || (ARRAY['已发布招标公告','开标提醒','评标结果已确定'])"
            "[1 + g % 3]",
            "body": "''",
            "subject_type_id": str(types["procurement.project"]),
            "subject_id": "pid",
            "url": "'/procurement/projects/' || pid || '/'",
            "read_at": f"CASE WHEN g < {n} * 0.98 THEN t + interval '2 hours' END",
            "created": "t",
            "recipient_id": "rcpt",
            "event": f"{kinds}[1 + g % 3]",
        },
    )


def clocks(fill: Filler, n: int, open_n: int, types: dict[str, int]) -> None:
    """n clocks on lots and contracts, all met but the last `open_n`, due in the coming days."""
    kinds = "(ARRAY['procurement.bid_deadline','evaluation.result','contracts.signing','contracts.payment'])"
    lots = "(SELECT count(*) FROM procurement_lot)"
    fill.fill(
        "timers_clock",
        f"(SELECT g, {START} + {SPAN} * (g::float8 / {n}) AS t, g > {n} - {open_n} AS open, "
        f"1 + (g % {lots}) AS lot FROM generate_series(1, {n}) g) s",
        {
            "id": "g",
            "created": "t",
            "modified": "t",
            "subject_type_id": str(types["procurement.lot"]),
            "subject_id": "lot",
            "kind": f"{kinds}[1 + g % 4]",
            "started": "CASE WHEN open THEN now() - interval '1 day' ELSE t END",
            # The open ones: due from two hours ago to ten days ahead, a few every minute.
            "due": f"CASE WHEN open THEN now() - interval '2 hours' "
            f"+ (g - ({n} - {open_n})) * interval '3 minutes' ELSE t + interval '1 day' END",
            "met_at": "CASE WHEN open THEN NULL ELSE t + interval '20 hours' END",
            "paused_total": "interval '0'",
            "responsible_id": f"2 + (g % {PURCHASERS})",
        },
    )
    # The open ones: one per subject and kind (timers_clock_one_open_per_subject_kind), kinds
    # that remind and escalate (no due action): a result owed on a lot, a signing on a contract.
    first = n - open_n
    fill.conn.execute(
        f"UPDATE timers_clock SET subject_id = id - {first}, kind = 'evaluation.result' "
        f"WHERE id > {first} AND id % 2 = 1"
    )
    fill.conn.execute(
        f"UPDATE timers_clock c SET subject_type_id = {types['contracts.contract']}, "
        "subject_id = x.cid, kind = 'contracts.signing' FROM (SELECT id AS cid, "
        "row_number() OVER (ORDER BY id) AS rn FROM contracts_contract) x "
        f"WHERE c.id > {first} AND c.id % 2 = 0 AND x.rn = c.id - {first}"
    )


# The audit log: the actions a lot's life records, in its order.
ACTIONS = [
    ("procurement.project.created", "procurement.project"),
    ("procurement.plan.filed", "procurement.project"),
    ("procurement.lot.announced", "procurement.lot"),
    ("procurement.announcement.published", "procurement.lot"),
    ("bidding.bid.submitted", "bidding.bid"),
    ("bidding.bid.submitted", "bidding.bid"),
    ("bidding.bid.submitted", "bidding.bid"),
    ("bidding.opening.started", "procurement.lot"),
    ("bidding.bid.decrypted", "bidding.bid"),
    ("bidding.bid.decrypted", "bidding.bid"),
    ("bidding.bid.decrypted", "bidding.bid"),
    ("evaluation.evaluation.started", "procurement.lot"),
    ("evaluation.evaluation.reported", "procurement.lot"),
    ("evaluation.award.decided", "procurement.lot"),
    ("contracts.contract.drafted", "contracts.contract"),
    ("contracts.contract.signed", "contracts.contract"),
    ("contracts.contract.filed", "contracts.contract"),
    ("contracts.payment.recorded", "contracts.contract"),
    ("notifications.notification.sent", "procurement.project"),
    ("accounts.user.logged_in", ""),
]


def audit_events(conn, n: int, types: dict[str, int], lots: int) -> None:
    """n events with a valid hash chain (audit.models: canonical content), sent with COPY."""
    from io import StringIO

    start = dt.datetime(2021, 12, 1, tzinfo=dt.UTC)
    step_us = int(1825 * 86400 * 1_000_000 / n)
    users = 1 + PURCHASERS + AGENCIES + SUPPLIERS
    prev = "0" * 64
    dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
    buffer = StringIO()
    with conn.cursor().copy(
        "COPY audit_event (id, seq, action, actor_id, organisation_id, subject_content_type_id, "
        "subject_object_id, subject_repr, data, created, prev_hash, hash) FROM STDIN"
    ) as copy:
        for seq in range(1, n + 1):
            action, subject = ACTIONS[seq % len(ACTIONS)]
            lot = 1 + (seq // len(ACTIONS)) % lots
            actor = 2 + (seq * 31) % (users - 1)
            created = start + dt.timedelta(microseconds=seq * step_us)
            if subject == "procurement.lot":
                sid, srepr = str(lot), f"第{lot}包"
            elif subject == "procurement.project":
                sid, srepr = str((lot + 1) // 2), f"项目{(lot + 1) // 2}"
            elif subject == "bidding.bid":
                sid, srepr = str((lot - 1) * 3 + 1 + seq % 3), f"投标{(lot - 1) * 3 + 1 + seq % 3}"
            elif subject == "contracts.contract":
                sid, srepr = str(lot), f"采购合同{lot}"
            else:
                sid, srepr = "", ""
            data = {"lot": lot} if subject else {}
            stamp = created.isoformat(timespec="microseconds")
            content = dumps(
                {
                    "v": "1",
                    "seq": str(seq),
                    "action": action,
                    "actor": str(actor),
                    "organisation": str(actor),
                    "subject_type": subject or None,
                    "subject_id": sid or None,
                    "subject_repr": srepr,
                    "data": data,
                    "created": stamp,
                    "prev_hash": prev,
                }
            )
            digest = hashlib.sha256(content.encode()).hexdigest()
            ct = str(types[subject]) if subject else "\\N"
            buffer.write(
                f"{seq}\t{seq}\t{action}\t{actor}\t{actor}\t{ct}\t{sid}\t{srepr}\t"
                f"{dumps(data)}\t{stamp}\t{prev}\t{digest}\n"
            )
            prev = digest
            if seq % 50_000 == 0:
                copy.write(buffer.getvalue())
                buffer = StringIO()
        copy.write(buffer.getvalue())


def build(pg: str, database: str, scale: float) -> dict[str, float]:
    import psycopg

    timings: dict[str, float] = {}
    n_projects = max(50, int(PROJECTS * scale))
    with step("template database", timings):
        ensure_schema(pg)
    started = time.perf_counter()
    with step("create database from template", timings):
        create_city(pg, database)
    with psycopg.connect(f"{pg}/{database}", autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET work_mem = '64MB'")
        types = content_types(conn)
        fill = Filler(conn)
        with step("drop indexes and foreign keys", timings):
            rebuild = drop_constraints(conn)
        with step("organisations and users", timings):
            organisations(fill)
        with step("plans, projects, lots", timings):
            projects(fill, n_projects)
        with step("bids", timings):
            bids(fill)
        with step("evaluations, awards, contracts, payments", timings):
            outcomes(fill)
        with step("announcements", timings):
            announcements(fill)
        with step("notifications", timings):
            notifications(fill, int(NOTIFICATIONS * scale), n_projects, types)
        with step("clocks", timings):
            clocks(fill, int(CLOCKS * scale), max(10, int(OPEN_CLOCKS * scale)), types)
        lots = scalar(conn, "SELECT count(*) FROM procurement_lot")
        with step("audit events (hash chain, COPY)", timings):
            audit_events(conn, int(AUDIT_EVENTS * scale), types, lots)
        with step("indexes and foreign keys", timings):
            for statement in rebuild:
                conn.execute(statement)
        with step("sequences, analyse", timings):
            for table, column in conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_default LIKE 'nextval%%' "
                "OR (is_identity = 'YES' AND table_schema = 'public')"
            ).fetchall():
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"(SELECT coalesce(max({column}), 0) + 1 FROM {table}), false)"
                )
            conn.execute("ANALYZE")
        counts = {table: scalar(conn, f"SELECT count(*) FROM {table}") for table in BIG}
    timings["total (without the template)"] = round(time.perf_counter() - started, 1)
    log("== rows")
    for table, count in counts.items():
        log(f"   {table:<34} {count:>10,}")
    log(f"== filled in {timings['total (without the template)']} s")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--database", default=CITY_DB)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--check", action="store_true", help="fail above 15 minutes")
    args = parser.parse_args(argv)
    log(f"== {args.database}: five years of a city at scale {args.scale}")
    timings = build(args.pg, args.database, args.scale)
    return 1 if args.check and timings["total (without the template)"] > LIMIT_SECONDS else 0


if __name__ == "__main__":
    raise SystemExit(main())
