"""The public lists: every filter narrows, keyset pages have no gaps, drafts never show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from procurement.models import AnnouncementKind, AnnouncementStatus, IntentionStatus
from tests.portal.builders import START, make_announcements, make_intentions, purchasers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """These tests read each response's template context: render every page afresh."""
    settings.PORTAL_CACHE_SECONDS = 0


ANNOUNCEMENTS = reverse("portal:announcements")
INTENTIONS = reverse("portal:intentions")


def ids(response) -> list[int]:
    assert response.status_code == 200
    return [item.pk for item in response.context["page"].items]


def walk(client, url: str, params: dict | None = None) -> list[list[int]]:
    """Every page of a list by following its "next page" links."""
    pages = []
    response = client.get(url, params or {})
    while True:
        pages.append(ids(response))
        page = response.context["page"]
        if not page.has_next:
            return pages
        response = client.get(url + page.next_url)


def test_it_lists_published_announcements_newest_first(client, cast):
    rows = make_announcements(cast, 5)
    make_announcements(cast, 2, status=AnnouncementStatus.DRAFT, project=rows[0].project)
    assert ids(client.get(ANNOUNCEMENTS)) == [r.pk for r in reversed(rows)]


def test_it_pages_twenty_at_a_time_without_gaps_or_repeats(client, cast):
    rows = make_announcements(cast, 47)
    pages = walk(client, ANNOUNCEMENTS)
    assert [len(p) for p in pages] == [20, 20, 7]
    seen = [pk for page in pages for pk in page]
    assert seen == [r.pk for r in reversed(rows)]


def test_it_keeps_a_stable_order_when_many_share_a_publication_moment(client, cast):
    rows = make_announcements(cast, 45, same_moment_every=15)
    pages = walk(client, ANNOUNCEMENTS)
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(r.pk for r in rows) and len(set(seen)) == 45
    # Ties are broken by id, newest first, on every page boundary.
    assert seen == [r.pk for r in sorted(rows, key=lambda r: (r.published_at, r.pk), reverse=True)]


def test_it_walks_back_with_the_previous_page_links(client, cast):
    make_announcements(cast, 50, same_moment_every=4)
    forward = walk(client, ANNOUNCEMENTS)
    response = client.get(ANNOUNCEMENTS)
    while response.context["page"].has_next:
        response = client.get(ANNOUNCEMENTS + response.context["page"].next_url)
    back = [ids(response)]
    while response.context["page"].has_previous:
        response = client.get(ANNOUNCEMENTS + response.context["page"].previous_url)
        back.append(ids(response))
    assert list(reversed(back)) == forward
    assert response.context["page"].is_first


def test_it_keeps_the_filters_in_the_page_links(client, cast):
    rows = make_announcements(cast, 60)
    tenders = [r.pk for r in reversed(rows) if r.kind == "tender"]
    pages = walk(client, ANNOUNCEMENTS, {"kind": "tender", "page_size_is_fixed": "1"})
    assert [pk for p in pages for pk in p] == tenders


def test_it_shows_the_first_page_for_a_broken_cursor(client, cast):
    rows = make_announcements(cast, 3)
    response = client.get(ANNOUNCEMENTS, {"cursor": "not-a-cursor"})
    assert ids(response) == [r.pk for r in reversed(rows)]


def test_it_never_uses_offset(client, cast, django_assert_num_queries):
    make_announcements(cast, 30)
    first = client.get(ANNOUNCEMENTS)
    with django_assert_num_queries(2) as captured:
        client.get(ANNOUNCEMENTS + first.context["page"].next_url)
    assert not any("OFFSET" in q["sql"].upper() for q in captured.captured_queries)


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"kind": "result"}, lambda r: r.kind == "result"),
        ({"method": "single_source"}, lambda r: r.method == "single_source"),
        ({"region": "410200"}, lambda r: r.region_code == "410200"),
        ({"q": "电梯"}, lambda r: "电梯" in r.search_text),
        ({"q": "第007号"}, lambda r: "第007号" in r.search_text),
        (
            {"published_from": "2026-06-05"},
            lambda r: r.published_at >= dt.datetime(2026, 6, 4, 16, tzinfo=dt.UTC),
        ),
        (
            {"published_to": "2026-06-05"},
            lambda r: r.published_at < dt.datetime(2026, 6, 5, 16, tzinfo=dt.UTC),
        ),
        (
            {"kind": "tender", "region": "410100", "q": "桌椅"},
            lambda r: r.kind == "tender" and r.region_code == "410100" and "桌椅" in r.search_text,
        ),
    ],
    ids=["kind", "method", "region", "q", "q-number", "from", "to", "combined"],
)
def test_each_announcement_filter_narrows_the_list(client, cast, params, keep):
    rows = make_announcements(cast, 40)
    expected = [r.pk for r in reversed(rows) if keep(r)]
    assert 0 < len(expected) < 40
    got = [pk for page in walk(client, ANNOUNCEMENTS, params) for pk in page]
    assert got == expected


def test_it_filters_announcements_by_purchaser(client, cast):
    rows = make_announcements(cast, 30)
    org = purchasers()[1]
    got = [pk for page in walk(client, ANNOUNCEMENTS, {"purchaser": org.pk}) for pk in page]
    assert got == [r.pk for r in reversed(rows) if r.purchaser_id == org.pk]
    assert len(got) == 10


def test_it_matches_full_text_without_regard_to_case(client, cast):
    rows = make_announcements(cast, 3)
    rows[1].search_text += " Server Room"
    rows[1].save()
    assert ids(client.get(ANNOUNCEMENTS, {"q": "server ROOM"})) == [rows[1].pk]


def test_it_includes_the_whole_last_day_of_the_date_range(client, cast):
    # 23:30 in Shanghai on 2026-06-01 is 15:30 UTC the same day.
    late = make_announcements(cast, 1, start=dt.datetime(2026, 6, 1, 15, 30, tzinfo=dt.UTC))
    make_announcements(cast, 1, start=dt.datetime(2026, 6, 1, 16, 0, tzinfo=dt.UTC))
    response = client.get(
        ANNOUNCEMENTS, {"published_from": "2026-06-01", "published_to": "2026-06-01"}
    )
    assert ids(response) == [late[0].pk]


def test_it_says_nothing_matches_and_marks_an_invalid_filter(client, cast):
    rows = make_announcements(cast, 3)
    response = client.get(ANNOUNCEMENTS, {"q": "没有这样的项目"})
    assert ids(response) == []
    assert "没有符合条件的公告" in response.content.decode()
    assert 'data-testid="filter-errors"' not in response.content.decode()
    response = client.get(ANNOUNCEMENTS, {"method": "auction"})
    assert 'aria-invalid="true"' in response.content.decode()
    assert ids(response) == []
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "no-such-kind", "region": "410200"}, "未知的公告类型"),
        ({"published_from": "2026-06-09", "published_to": "2026-06-01"}, "开始日期晚于结束日期"),
        ({"published_from": "2026-02-31"}, "请输入日期，例如 2026-06-01"),
        ({"purchaser": "abc"}, "未知的采购人"),
        ({"purchaser": "99999"}, "未知的采购人"),  # a number, but no public purchaser's id
        ({"region": "41"}, "未知的地区"),
    ],
    ids=["kind", "reversed-range", "date", "purchaser", "purchaser-id", "region"],
)
def test_an_invalid_filter_is_told_and_lists_nothing_rather_than_everything(
    client, cast, params, message
):
    make_announcements(cast, 10)
    response = client.get(ANNOUNCEMENTS, params)
    body = response.content.decode()
    assert ids(response) == []
    assert message in body
    assert 'data-testid="filter-errors"' in body
    assert "请先更正上面标出的筛选条件" in body
    assert 'name="kind" value="no-such-kind"' not in body  # the form does not resend it


def test_an_invalid_intention_filter_is_told_and_lists_nothing(client, cast):
    make_intentions(cast, 5)
    response = client.get(
        INTENTIONS, {"published_from": "2026-06-09", "published_to": "2026-06-01"}
    )
    assert ids(response) == []
    assert "开始日期晚于结束日期" in response.content.decode()


def test_it_offers_a_tab_per_kind_that_keeps_the_other_filters(client, cast):
    make_announcements(cast, 3)
    response = client.get(ANNOUNCEMENTS, {"region": "410100", "kind": "tender", "cursor": "x"})
    tabs = response.context["kind_tabs"]
    assert [t["url"] for t in tabs] == [
        "?region=410100",
        *(f"?region=410100&kind={kind}" for kind in AnnouncementKind.values),
    ]
    assert [t["active"] for t in tabs] == [False, True] + [False] * (len(AnnouncementKind) - 1)
    assert tabs[0]["label"] == "全部"


def test_it_hides_drafts_from_the_announcement_list_and_its_filters(client, cast):
    published = make_announcements(cast, 3)
    make_announcements(
        cast, 3, status=AnnouncementStatus.DRAFT, project=published[0].project, search_text="草稿"
    )
    assert ids(client.get(ANNOUNCEMENTS, {"q": "草稿"})) == []
    assert sorted(ids(client.get(ANNOUNCEMENTS))) == sorted(r.pk for r in published)


def test_it_lists_published_intentions_with_keyset_pages(client, cast):
    rows = make_intentions(cast, 45, same_moment_every=3)
    make_intentions(cast, 2, status=IntentionStatus.DRAFT)
    pages = walk(client, INTENTIONS)
    assert [len(p) for p in pages] == [20, 20, 5]
    expected = sorted(rows, key=lambda r: (r.published_at, r.pk), reverse=True)
    assert [pk for p in pages for pk in p] == [r.pk for r in expected]


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"region": "410200"}, lambda r: r.region_code == "410200"),
        ({"sme_reserved": "1"}, lambda r: r.sme_reserved),
        ({"sme_reserved": "0"}, lambda r: not r.sme_reserved),
        ({"q": "空调"}, lambda r: "空调" in r.project_name),
        ({"q": "第7号"}, lambda r: "第7号" in r.summary),
        ({"published_to": "2026-05-31"}, lambda r: r.published_at < START + dt.timedelta(days=2)),
    ],
    ids=["region", "sme", "not-sme", "q-name", "q-summary", "to"],
)
def test_each_intention_filter_narrows_the_list(client, cast, params, keep):
    rows = make_intentions(cast, 30)
    expected = [r.pk for r in reversed(rows) if keep(r)]
    assert 0 < len(expected) < 30
    assert [pk for page in walk(client, INTENTIONS, params) for pk in page] == expected


def test_it_filters_intentions_by_purchaser(client, cast):
    rows = make_intentions(cast, 9)
    org = purchasers()[2]
    got = ids(client.get(INTENTIONS, {"purchaser": org.pk}))
    assert got == [r.pk for r in reversed(rows) if r.purchaser_id == org.pk]
    assert len(got) == 3
