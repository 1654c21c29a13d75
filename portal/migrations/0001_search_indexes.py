"""Trigram indexes for the public full-text filter (PostgreSQL only; SQLite scans with LIKE).

Django writes `q` as UPPER(search_text::text) LIKE UPPER('%…%'); a GIN index of pg_trgm
trigrams on that same expression lets PostgreSQL answer it without reading every row (for
terms of three characters or more: CJK characters count, the database ctype being UTF-8).
CREATE INDEX CONCURRENTLY cannot run inside a migration's transaction, hence the plain form.
The portal writes no rows: these are its only schema changes, on procurement's tables.
"""

from django.db import migrations

INDEXES = [
    (
        "portal_announcement_search_trgm",
        "procurement_announcement",
        "UPPER(search_text::text)",
    ),
    (
        "portal_intention_name_trgm",
        "procurement_procurementintention",
        "UPPER(project_name::text)",
    ),
    (
        "portal_intention_summary_trgm",
        "procurement_procurementintention",
        "UPPER(summary::text)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
