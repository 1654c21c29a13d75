"""The bureau's dashboard (issue 12 §7): counts, shares per purchaser and stage, filters, the
overdue list, who may see it, and a fixed number of queries."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from contracts.services.clocks import SIGNING
from evaluation.services.report import RESULT_CLOCK
from timers.services import meet_clock

from .conftest import NOW, add_clock

URL = reverse("supervision:dashboard")


def get(client, query: str = ""):
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL + query)
    assert response.status_code == 200
    return response


def cells(overview) -> dict[tuple[str, str], tuple[int, int, int, int, float | None]]:
    return {
        (t.responsible, t.kind): (t.running, t.overdue, t.on_time, t.late, t.share)
        for t in overview.rows
    }


def test_it_counts_running_due_today_overdue_and_breached_clocks(client, cast, clocks):
    client.force_login(cast.bureau)
    counts = get(client).context["overview"].counts
    assert counts.running == 2  # the result due tonight, the signing due tomorrow
    assert counts.due_today == 1
    assert counts.overdue == 2  # one result, one signing: still owed past due
    assert counts.breached == 4  # the two met late count; the cancelled one never does


def test_a_step_met_late_counts_as_breached_though_no_sweep_saw_it(client, cast, clocks):
    subject, clock = add_clock(clocks.p2, SIGNING, due=NOW.replace(day=17, hour=0))
    meet_clock(subject=subject, kind=SIGNING, at=NOW.replace(day=17, hour=8))
    clock.refresh_from_db()
    assert clock.breached_at is None  # the sweeper was down
    client.force_login(cast.bureau)
    overview = get(client).context["overview"]
    assert overview.counts.breached == 5
    assert cells(overview)[("市卫生健康委员会", SIGNING)] == (1, 1, 0, 1, 0.0)


def test_it_shows_the_share_met_on_time_per_purchaser_and_stage(client, cast, clocks):
    client.force_login(cast.bureau)
    overview = get(client).context["overview"]
    assert cells(overview) == {
        ("市教育局", RESULT_CLOCK): (1, 1, 2, 1, 0.5),  # 2 on time of 4 met or overdue
        ("市教育局", SIGNING): (0, 0, 1, 0, 1.0),
        ("市卫生健康委员会", RESULT_CLOCK): (0, 0, 0, 1, 0.0),
        ("市卫生健康委员会", SIGNING): (1, 1, 0, 0, 0.0),  # still owed: late already
    }
    by_stage = {
        t.kind: (t.running, t.overdue, t.on_time, t.late, t.share) for t in overview.by_stage
    }
    assert by_stage == {RESULT_CLOCK: (1, 1, 2, 2, 0.4), SIGNING: (1, 1, 1, 0, 0.5)}
    # The four one-day targets come first, in the order of the cycle.
    assert [t.kind for t in overview.by_stage] == [RESULT_CLOCK, SIGNING]


def test_the_page_shows_the_table_and_the_chart_data(client, cast, clocks):
    client.force_login(cast.bureau)
    response = get(client)
    html = response.content.decode()
    assert html.count('data-testid="share-row"') == 4
    assert "50.0%" in html and "40.0%" in html
    assert 'id="share-chart-data"' in html
    assert "vendor/echarts-5.6.0/echarts.min.js" in html
    chart = response.context["chart"]
    assert chart["stage_shares"] == [40.0, 50.0]
    assert chart["responsibles"] == ["市卫生健康委员会", "市教育局"]
    assert chart["series"][0]["data"] == [0.0, 50.0]  # result decided, per purchaser
    assert chart["series"][1]["data"] == [0.0, 100.0]  # contract signed


def test_the_overdue_list_names_each_late_step_most_overdue_first(client, cast, clocks):
    client.force_login(cast.bureau)
    overview = get(client).context["overview"]
    rows = [(r.clock.pk, r.late_by_display) for r in overview.overdue]
    assert rows == [
        (clocks.made["p1_result_overdue"].pk, "1 天 9 小时"),
        (clocks.made["p2_signing_overdue"].pk, "1 小时 0 分钟"),
    ]


def test_the_period_filter_reads_beijing_dates(client, cast, clocks):
    client.force_login(cast.bureau)
    overview = get(client, "?started_from=2026-03-17").context["overview"]
    assert [(t.responsible, t.kind) for t in overview.rows] == [("市卫生健康委员会", SIGNING)]
    assert overview.counts.running == 1 and overview.counts.overdue == 1
    # Monday 23:30 in Beijing is Monday, though it is 15:30 UTC.
    overview = get(client, "?started_to=2026-03-16").context["overview"]
    assert ("市教育局", SIGNING) in cells(overview)
    assert ("市卫生健康委员会", SIGNING) not in cells(overview)


def test_the_purchaser_and_stage_filters(client, cast, clocks):
    client.force_login(cast.bureau)
    overview = get(client, f"?responsible={clocks.p2.pk}").context["overview"]
    assert set(cells(overview)) == {
        ("市卫生健康委员会", RESULT_CLOCK),
        ("市卫生健康委员会", SIGNING),
    }
    assert overview.counts.overdue == 1
    overview = get(client, f"?kind={SIGNING}").context["overview"]
    assert set(cells(overview)) == {("市教育局", SIGNING), ("市卫生健康委员会", SIGNING)}
    assert [r.clock.kind for r in overview.overdue] == [SIGNING]


def test_a_stage_that_is_not_measured_is_refused_by_the_filter(client, cast, clocks):
    client.force_login(cast.bureau)
    response = get(client, "?kind=procurement.bid_deadline")
    assert "kind" in response.context["filterset"].form.errors


def test_every_other_role_is_refused(client, cast, clocks):
    for name, user in cast.everyone().items():
        if name == "bureau":
            continue
        client.force_login(user)
        assert client.get(URL).status_code == 403, name
        assert client.get(reverse("supervision:export")).status_code == 403, name
    client.logout()
    assert client.get(URL).status_code == 302  # to the sign-in


def test_the_bureau_reaches_it_from_its_home(client, cast, clocks):
    client.force_login(cast.bureau)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="open-dashboard"' in html and URL in html
    assert 'data-testid="nav-dashboard"' in html
    client.force_login(cast.purchaser)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("accounts:home")).content.decode()
    assert URL not in html


def test_the_page_runs_a_fixed_number_of_queries(
    client, cast, clocks, django_assert_max_num_queries
):
    client.force_login(cast.bureau)
    get(client)  # warm the content-type cache
    with django_assert_max_num_queries(20) as captured:
        get(client)
    few = len(captured)
    for n in range(12):
        who = clocks.p1 if n % 2 else clocks.p2
        add_clock(who, RESULT_CLOCK if n % 3 else SIGNING, due=NOW.replace(hour=3))
        add_clock(who, SIGNING, due=NOW.replace(day=20))
    with django_assert_max_num_queries(few) as captured:
        overview = get(client).context["overview"]
    assert overview.counts.overdue == 2 + 12
