"""The supplier's credit grade, asked of the credit app (DESIGN.md layer 6, beside us)."""

from __future__ import annotations

from credit.selectors import current_grade

# Best first: "grade at least B" admits A and B.
GRADES = ("A", "B", "C", "D")


def supplier_grade(organisation) -> str | None:
    """The supplier's current four-party grade (A–D), or None when it has none; an application
    stores what it got as its snapshot."""
    return current_grade(organisation)


def grade_at_least(grade: str | None, minimum: str) -> bool:
    """True when `grade` is `minimum` or better; no grade never passes a minimum."""
    if not minimum:
        return True
    if grade not in GRADES or minimum not in GRADES:
        return False
    return GRADES.index(grade) <= GRADES.index(minimum)
