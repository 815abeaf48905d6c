"""SQLite refuses DELETE on the ledger tables too (PostgreSQL has since 0002).

0002 left DELETE to the model layer on SQLite because Django's flush (``DELETE FROM``) would have
failed; the project's SQLite backend (``shuangjian.common.sqlite``) now lifts ``*_no_delete``
triggers for a flush and re-creates them, so a DELETE from anywhere else — the ORM, raw SQL, the
``sqlite3`` shell — is refused. ``funds_posting`` is a view (0003): nothing to guard.
"""

from django.db import migrations

TABLES = ["funds_fundevent", "funds_transfer"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_postings_derived")]

    operations = [migrations.RunPython(forwards, backwards)]
