"""Postings derived from transfers, not stored twice (issue 19 item 2).

A transfer now names its two accounts (``debit``, ``credit``, different); the two postings +a / −a
become the rows of a view over ``funds_transfer`` under the old table's name, so every reader of
``Posting`` (balances, ``funds check``, the risk signals) keeps working unchanged.

Existing ledgers are carried over: each transfer takes the accounts of its two stored postings
(the positive one is the debit), then the posting table is dropped. The append-only triggers of
``funds_transfer`` are lifted for that one UPDATE and put back; the view refuses writes by itself.
Reversible: going back re-creates the posting table as migration 0002 left it (constraints,
append-only trigger) and fills it with the two sides of every transfer.
"""

import django.db.models.deletion
from django.db import migrations, models

VIEW = """
CREATE VIEW funds_posting AS
SELECT t.id * 2 AS id, t.id AS transfer_id, t.debit_id AS account_id, t.amount_fen AS amount_fen
FROM funds_transfer t
UNION ALL
SELECT t.id * 2 + 1, t.id, t.credit_id, -t.amount_fen
FROM funds_transfer t
"""


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS funds_transfer_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS funds_transfer_append_only ON funds_transfer;")


def accounts_fill(apps, schema_editor):
    schema_editor.execute(
        "UPDATE funds_transfer SET "
        "debit_id = (SELECT p.account_id FROM funds_posting p "
        "WHERE p.transfer_id = funds_transfer.id AND p.amount_fen > 0), "
        "credit_id = (SELECT p.account_id FROM funds_posting p "
        "WHERE p.transfer_id = funds_transfer.id AND p.amount_fen < 0)"
    )


def posting_table_to_view(apps, schema_editor):
    schema_editor.execute("DROP TABLE funds_posting;")
    schema_editor.execute(VIEW)


def posting_view_to_table(apps, schema_editor):
    from django.db.migrations.loader import MigrationLoader

    schema_editor.execute("DROP VIEW funds_posting;")
    before = MigrationLoader(schema_editor.connection).project_state(("funds", "0002_append_only_triggers"))
    schema_editor.create_model(before.apps.get_model("funds", "Posting"))
    schema_editor.execute(
        "INSERT INTO funds_posting (transfer_id, account_id, amount_fen) "
        "SELECT id, debit_id, amount_fen FROM funds_transfer "
        "UNION ALL SELECT id, credit_id, -amount_fen FROM funds_transfer ORDER BY 1, 3 DESC"
    )
    _append_only(schema_editor, "funds_posting")


def _append_only(schema_editor, table: str) -> None:
    """The append-only trigger of ``table``, as migration 0002 made it (its PL/pgSQL function stays)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION funds_append_only();"
        )


def triggers_create(apps, schema_editor):
    _append_only(schema_editor, "funds_transfer")


SIDES = (("debit", "借方账户"), ("credit", "贷方账户"))


def _account(label: str, *, null: bool = False) -> models.ForeignKey:
    """Transfer.debit / Transfer.credit: a foreign key to the account, not indexed (added nullable,
    filled from the postings, then made required)."""
    return models.ForeignKey(
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="funds.account",
        verbose_name=label,
    )


class Migration(migrations.Migration):
    dependencies = [("funds", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(triggers_drop, triggers_create),
        *(
            migrations.AddField(model_name="transfer", name=name, field=_account(label, null=True))
            for name, label in SIDES
        ),
        migrations.RunPython(accounts_fill, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name="transfer", name=name, field=_account(label))
            for name, label in SIDES
        ),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.CheckConstraint(
                condition=models.Q(("debit", models.F("credit")), _negated=True),
                name="funds_transfer_two_accounts",
            ),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(posting_table_to_view, posting_view_to_table)],
            state_operations=[
                migrations.RemoveConstraint(model_name="posting", name="funds_posting_nonzero"),
                migrations.RemoveConstraint(model_name="posting", name="funds_posting_uniq_side"),
                *(
                    migrations.AlterField(
                        model_name="posting",
                        name=name,
                        field=models.ForeignKey(
                            db_constraint=False,
                            db_index=False,
                            on_delete=django.db.models.deletion.DO_NOTHING,
                            related_name="postings",
                            to=to,
                            verbose_name=label,
                        ),
                    )
                    for name, to, label in (
                        ("account", "funds.account", "账户"),
                        ("transfer", "funds.transfer", "转账"),
                    )
                ),
                migrations.AlterModelOptions(
                    name="posting",
                    options={"managed": False, "verbose_name": "分录", "verbose_name_plural": "分录"},
                ),
                migrations.AlterModelTable(name="posting", table="funds_posting"),
            ],
        ),
    ]
