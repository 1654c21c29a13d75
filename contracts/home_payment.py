"""The supplier's home: what it is owed and since when, linking to the whole list (issue 12 §7)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.selectors import organisation_of
from workdays.calendar import SHANGHAI

from .selectors_payment import owed_to_supplier


def supplier_owed_section(request, role):
    if role != "supplier":
        return None
    organisation = organisation_of(request.user)
    if organisation is None:
        return None
    rows = owed_to_supplier(organisation.pk, today=timezone.localdate(timezone=SHANGHAI))
    return HomeSection(
        title=_("Payments owed to me"),
        template="contracts/home/owed.html",
        context={
            "owed_rows": rows[:5],
            "owed_count": len(rows),
            "owed_total": sum((r.status.outstanding for r in rows), 0),
            "overdue_count": sum(1 for r in rows if r.days_overdue),
        },
        order=40,
    )
