"""The state field of every workflow model: django-fsm's `FSMField`, recorded in migrations as a CharField.

django-fsm connects one `class_prepared` receiver per FSMField instance. Migrations rebuild every
historical model many times while they run, and each rebuilt FSMField added one more receiver to
the signal, so every later model creation walked all of them: a first `migrate` spent most of its
time there (cProfile, 2026-12-04: 8.9 million receiver calls, about two thirds of the run).
The column is a plain VARCHAR either way; transitions only matter on the real models, so the
migration state holds `models.CharField` with the same arguments and the real model keeps the
full FSMField behaviour (`@transition`, `can_proceed`, `TransitionNotAllowed`).
"""

from __future__ import annotations

from typing import Any

from django_fsm import FSMField


class StateField(FSMField):
    """A django-fsm state column (VARCHAR, default max_length 50) deconstructed as `models.CharField`.

    Takes FSMField's arguments. Raises nothing of its own. `protected=True` is refused: the
    platform changes states only through `@transition` methods and audits each one, and a
    protected field could not be reloaded by `refresh_from_db` in the services.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("protected"):
            raise ValueError("StateField does not support protected=True")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Any, dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
