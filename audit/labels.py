"""Human labels of the audit actions, for the bureau's admin.

An action is a code ("procurement.lot.announced"); each app registers the labels of the actions
it records, from its AppConfig.ready:

    register_action_labels({"procurement.lot.announced": _("Lot announced"), ...})

The admin shows "label（code）"; an action with no label (an old code, or one not registered yet)
still shows, as its code alone. tests/audit/test_labels.py checks that every action the code
records has a label.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation
from django.utils.functional import Promise

from .models import ACTION_PATTERN

_LABELS: dict[str, str | Promise] = {}


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    """Give actions their labels (lazy translations); a code registered twice must agree."""
    for code, label in labels.items():
        if not ACTION_PATTERN.fullmatch(code):
            raise ValueError(f"{code!r} is not an audit action (<app>.<object>.<verb>).")
        known = _LABELS.get(code)
        if known is not None and _msgid(known) != _msgid(label):
            raise ValueError(f"The audit action {code!r} already has another label.")
        _LABELS[code] = label


def _msgid(label: str | Promise) -> str:
    with translation.override(None):  # the English msgid, whatever the active language
        return str(label)


def action_label(code: str) -> str | None:
    """The action's label in the active language, or None when it has none."""
    label = _LABELS.get(code)
    return None if label is None else str(label)


def labelled_actions() -> frozenset[str]:
    """Every action code that has a label."""
    return frozenset(_LABELS)
