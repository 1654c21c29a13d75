"""The backup and restore commands of docs/deploy.md, run for real on PostgreSQL: the restored
copy passes verify_audit (issue 17 §5)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from audit.services import record_event

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_whose_audit_chain_verifies(cast, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL (CI runs this)")
    for i in range(3):
        record_event(action="procurement.lot.announced", actor=cast.purchaser, data={"n": i})
    s = connection.settings_dict
    server = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    restored = f"{s['NAME']}_restored"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    try:
        dump = subprocess.run(
            ["bash", "scripts/backup.sh", f"{server}/{s['NAME']}", str(tmp_path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        out = subprocess.run(
            ["bash", "scripts/restore.sh", dump, server, restored],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stderr
        assert "audit chain intact: 3 events" in out.stdout
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
