"""The transition shape (STYLE.md habit 12) and the messages the services refuse with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from audit.services import record_event
from common.errors import InvalidTransition

NOT_A_DRAFT = _("The contract is no longer a draft: it is being signed or signed.")
WRONG_STATE = _("The contract is not at the step this action belongs to.")


def transition(
    obj,
    method: Callable[..., Any],
    *,
    acting_user,
    reason: str,
    action: str,
    organisation=None,
    data: dict[str, Any] | None = None,
    message=WRONG_STATE,
    **kwargs: Any,
) -> None:
    """Guard, run the FSM method, save with its history reason and write the audit event.

    The caller holds the row under select_for_update inside its transaction.
    """
    if not can_proceed(method):
        raise InvalidTransition(message, code="wrong_state")
    method(**kwargs)
    obj._history_user = acting_user
    obj._change_reason = reason
    obj.save()
    record_event(
        action=action,
        actor=acting_user,
        organisation=organisation,
        subject=obj,
        data={"state": obj.state, **(data or {})},
    )
