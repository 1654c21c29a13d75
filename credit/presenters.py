"""How a party is named in public: organisations by name; experts by code, and by name only
where the bureau publishes experts' names (issue 14 §5)."""

from __future__ import annotations

from .models import CreditParameters, PartyGrade, expert_code


def public_name(grade: PartyGrade, params: CreditParameters) -> str:
    if grade.expert_id is None:
        return str(grade.organisation)
    code = expert_code(grade.expert_id)
    if params.publish_expert_names and grade.expert is not None:
        return f"{grade.expert} ({code})"
    return code
