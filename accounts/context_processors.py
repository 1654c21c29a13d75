from __future__ import annotations

from .selectors import organisation_of, role_of


def role(request):
    """The signed-in user's role and organisation, for navigation by role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": None, "user_organisation": None}
    return {"user_role": role_of(user), "user_organisation": organisation_of(user)}
