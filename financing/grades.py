"""The supplier's credit grade, asked of the credit app (DESIGN.md layer 6, beside us).

The credit app is built in parallel; until it is merged the lookup answers None (no grade), and
an application stores whatever it got as its snapshot.
"""

from __future__ import annotations

# Best first: "grade at least B" admits A and B.
GRADES = ("A", "B", "C", "D")


def supplier_grade(organisation) -> str | None:
    """The supplier's current four-party grade (A–D), or None when it has none."""
    try:
        from credit.selectors import current_grade  # type: ignore[import-not-found]
    except ImportError:
        return None
    return current_grade(organisation)


def grade_at_least(grade: str | None, minimum: str) -> bool:
    """True when `grade` is `minimum` or better; no grade never passes a minimum."""
    if not minimum:
        return True
    if grade not in GRADES or minimum not in GRADES:
        return False
    return GRADES.index(grade) <= GRADES.index(minimum)
