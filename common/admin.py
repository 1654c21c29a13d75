"""Admin pieces shared by the apps."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class ReadOnly:
    """A record kept as it was done (a bid, a review, a signature, a payment): the bureau reads
    it in the admin and adds, changes or deletes nothing (DESIGN.md: read-only where the rules
    forbid edits). Mixed in before the ModelAdmin or inline class."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CappedCountPaginator(Paginator):
    """Counts at most `cap` + 1 rows: a long list never runs COUNT(*) over millions.

    The count is `SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1)`, work bounded by the cap
    whatever the table's size; past the cap the list says "more than 10,000" (the admin's
    templates/admin/pagination.html) and offers the pages up to it, so no page needs an
    OFFSET beyond the cap. Further back one narrows the list by a filter or a search on an
    index (a period, a kind, an organisation), which starts again from its newest row.
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list  # a QuerySet in the admin
        return rows.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class LongList:
    """For admin lists of millions of rows (issue 17 §2): a capped count, no full count.

    Mixed in before the ModelAdmin. Each such admin also filters with choices it knows without
    reading the table (no DISTINCT over the rows) and searches only what an index answers.
    """

    paginator: type[Paginator] = CappedCountPaginator
    show_full_result_count = False
