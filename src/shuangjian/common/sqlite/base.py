"""Django's SQLite backend, unchanged except for ``flush`` (settings ENGINE ``shuangjian.common.sqlite``).

Append-only tables refuse DELETE with a trigger named ``<table>_no_delete`` (the ledger's, migration
``funds.0004``), as PostgreSQL refuses it with its row trigger. PostgreSQL's flush empties tables with
TRUNCATE, which row triggers do not see; SQLite's flush is ``DELETE FROM``, which they do. So the
flush statements lift every ``*_no_delete`` trigger first and re-create it, from its own SQL in
``sqlite_master``, after the tables are empty — all in the flush's one transaction. Only Django's
``flush`` (the test framework's reset between transactional tests, ``manage.py flush``) does this;
every other DELETE, from Django or from the ``sqlite3`` shell, is refused by the trigger.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base, operations

NO_DELETE_SUFFIX = "_no_delete"


class DatabaseOperations(operations.DatabaseOperations):
    """SQLite operations whose ``sql_flush`` keeps the append-only DELETE triggers."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """Django's flush statements wrapped in DROP / CREATE of the ``*_no_delete`` triggers on ``tables``.

        Returns a list of SQL statements (Django runs them in one transaction).
        """
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '!'",
                ["%" + NO_DELETE_SUFFIX.replace("_", "!_")],
            )
            triggers = [(name, sql) for name, table, sql in cursor.fetchall() if table in set(tables)]
        drops = [f'DROP TRIGGER "{name}"' for name, _sql in triggers]
        return drops + list(statements) + [sql for _name, sql in triggers]


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's SQLite ``DatabaseWrapper`` with :class:`DatabaseOperations`."""

    ops_class = DatabaseOperations
