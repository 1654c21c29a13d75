"""The dashboards name the review of a single source notice's objections and link it
(timers.subjects): the purchaser to its review page, the bureau to the plan."""

from __future__ import annotations

from django.urls import reverse

from procurement.services.single_source import REVIEW_CLOCK, file_objection
from timers.models import Clock
from timers.subjects import describe_subjects

from .test_single_source_notice import frozen, objection, published  # noqa: F401 (fixture)


def test_the_review_clock_links_the_purchaser_to_its_review_and_the_bureau_to_the_plan(
    client,
    cast,
    frozen,  # noqa: F811
):
    notice = published(cast)
    file_objection(notice=notice, values=objection(), acting_user=cast.supplier)
    clock = Clock.objects.get(kind=REVIEW_CLOCK)
    mine = describe_subjects([clock], user=cast.purchaser)[clock.pk]
    assert mine.label == notice.announcement.title
    assert mine.url == reverse("procurement:notice_review", args=[notice.pk])
    theirs = describe_subjects([clock], user=cast.bureau)[clock.pk]
    assert theirs.url == reverse("procurement:plan_detail", args=[notice.plan_id])
    for user, url in ((cast.purchaser, mine.url), (cast.bureau, theirs.url)):
        client.force_login(user)
        assert client.get(url).status_code == 200
