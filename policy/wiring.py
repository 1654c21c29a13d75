"""What the policy app registers with the lower apps."""

from __future__ import annotations


def connect() -> None:
    from accounts.home import register_home_section

    from . import audit_labels, rules  # noqa: F401  (they register themselves)
    from .home import section
    from .parameters import register_parameters

    register_parameters()
    register_home_section(section)
