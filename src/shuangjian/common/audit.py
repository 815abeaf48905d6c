"""THE audit helper: every service records who changed a record and why (审计留痕).

django-simple-history writes one history row per ``save()``/``delete()`` with the before/after of
every field. What it cannot guess is the acting user outside a request (commands, imports, jobs)
and the reason. Services therefore call :func:`audit` on an instance before saving it::

    audit(institution, user=actor, reason="撤销办学许可")
    institution.save()

or :func:`save_audited` to do both. A user without a primary key (an unsaved or anonymous user, a
command's ``None``) is recorded as no user, normalised once in :func:`history_user`.

Queryset ``.update()`` writes no history row. :func:`update_with_history` is the history-safe bulk
update: it loads the rows, sets the fields and writes them with simple-history's
``bulk_update_with_history`` (one history row per changed record, with the user and reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models, transaction

from .signals import records_changed_send

M = TypeVar("M", bound=models.Model)


def history_user(user: Any) -> Any:
    """``user`` when it is a saved user (has a pk), else None (anonymous, unsaved, a command's None)."""
    if user is None or not getattr(user, "pk", None) or not getattr(user, "is_authenticated", True):
        return None
    return user


def audit(instance: M, *, user: Any, reason: str) -> M:
    """Attach the acting ``user`` and the Chinese change ``reason`` that the next history row of
    ``instance`` records (on its next ``save()`` or ``delete()``). Returns ``instance``."""
    actor = history_user(user)
    if actor is not None:
        instance._history_user = actor  # type: ignore[attr-defined]
    elif hasattr(instance, "_history_user"):
        # No acting user: the request's user (HistoryRequestMiddleware) or none is recorded.
        del instance._history_user  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    return instance


def save_audited(instance: M, *, user: Any, reason: str, update_fields: Iterable[str] | None = None) -> M:
    """:func:`audit` then ``instance.save(update_fields=…)``; returns ``instance``."""
    audit(instance, user=user, reason=reason)
    if update_fields is None:
        instance.save()
    else:
        instance.save(update_fields=list(update_fields))
    return instance


def delete_audited(instance: models.Model, *, user: Any, reason: str) -> None:
    """:func:`audit` then ``instance.delete()`` (the history row of type "-" names user and reason)."""
    audit(instance, user=user, reason=reason)
    instance.delete()


@transaction.atomic
def update_with_history(queryset: models.QuerySet[M], *, user: Any, reason: str, **values: Any) -> int:
    """History-safe ``queryset.update(**values)``: every row whose value changes is saved in bulk
    with one history row naming ``user`` and ``reason``. Rows already holding ``values`` are left
    alone (no history row). Returns the number of rows changed.

    ``values`` are plain field values (no F() expressions). Raises ``FieldDoesNotExist`` for an
    unknown field.
    """
    from simple_history.utils import bulk_update_with_history

    model = queryset.model
    fields = list(values)
    for name in fields:
        model._meta.get_field(name)
    changed: list[M] = []
    for row in queryset.select_for_update():
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            model,
            fields,
            batch_size=500,
            default_user=history_user(user),
            default_change_reason=reason,
        )
        records_changed_send(model)
    return len(changed)


def create_with_history(objs: list[M], model: type[M], *, user: Any, reason: str) -> list[M]:
    """``bulk_create`` with one "+" history row per record naming ``user`` and ``reason``."""
    from simple_history.utils import bulk_create_with_history

    created = bulk_create_with_history(
        objs, model, batch_size=500, default_user=history_user(user), default_change_reason=reason
    )
    records_changed_send(model)
    return created
