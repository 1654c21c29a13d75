"""Each role's to-do after each step of the demo story (issue 10, tests): an intention to
publish, a plan to file, a method to approve, lots to announce, a question to answer, bids to
decrypt, a failure to rule on and its re-upload, a record to confirm. After every step each
party involved — purchaser, agency, bureau, suppliers — owes exactly the item the story says,
with its link and due time, and the step just done has left every list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.selectors import organisation_of
from accounts.todo import TodoItem, todo_items
from bench import builders
from bidding.models import Bid, Opening
from bidding.services import (
    decrypt_bid,
    record_platform_failure,
    remedy_bid,
    respond_to_record,
    set_opening_rules,
)
from common.errors import DomainError
from procurement.models import MethodGround, ProcurementKind, ProcurementMethod, SmeMode
from procurement.services import (
    answer_question,
    approve_method_change,
    ask_question,
    create_project,
    file_plan,
    publish_intention,
    publish_tender_announcement,
    submit_plan,
)
from procurement.services.plans import PlanLotValues
from tests.bidding.helpers import PASSPHRASE, bid, pdf_file, third_supplier
from timers.services import sweep
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

# A spring without holidays between the steps: the intention is published on 1 April, the plan
# made 40 days later (the 30 days of 财库〔2020〕10号 have run), the bids due a month after.
INTENTION_DAY = dt.datetime(2026, 4, 1, 10, 0, tzinfo=SHANGHAI)
PLAN_DAY = dt.datetime(2026, 5, 11, 10, 0, tzinfo=SHANGHAI)
DEADLINE = dt.datetime(2026, 6, 11, 9, 30, tzinfo=SHANGHAI)
DRAW = "experts.committee_to_draw"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The sealed files of this story in a folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def owed(user) -> dict[str, TodoItem]:
    """The user's to-do by kind (each kind at most once in this story)."""
    items = todo_items(user)
    by_kind = {item.kind: item for item in items}
    assert len(by_kind) == len(items), [item.kind for item in items]
    return by_kind


def owes(user, kind: str, *, url: str, due: dt.datetime | None = None) -> TodoItem:
    """The user owes exactly one item, of `kind`, done at `url`, due at `due`."""
    items = owed(user)
    assert list(items) == [kind], (user.username, list(items))
    item = items[kind]
    assert item.url == url and item.due == due, (item.url, item.due)
    return item


def owes_nothing(*users) -> None:
    for user in users:
        assert todo_items(user) == [], (user.username, [i.kind for i in todo_items(user)])


def damage_a_sealed_file(sealed: Bid) -> None:
    """The platform's store changes a sealed file after sealing (one bit): not the bidder's
    doing, so its right key opens the data key but the file fails its check."""
    stored = sealed.files.get(position=1)
    path = Path(settings.MEDIA_ROOT) / stored.blob.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def test_each_role_owes_the_next_step_of_the_story_and_nothing_once_it_is_done(cast):
    purchaser, agency, bureau = cast.purchaser, cast.agency, cast.bureau
    supplier, supplier2 = cast.supplier, cast.supplier2
    third = third_supplier()
    everyone = (purchaser, agency, bureau, supplier, supplier2, third)

    def owes_the_draw() -> None:
        committee_url = reverse("experts:committee", args=[lot.pk])
        owes(agency, DRAW, url=committee_url, due=DEADLINE)

    bystanders = (cast.bank, cast.expert, cast.outsider)
    agency_org = organisation_of(agency)

    # 1. The purchaser drafts its intention: publishing it is its step, nobody else's.
    with at(INTENTION_DAY):
        owes_nothing(*everyone, cast.purchaser2, *bystanders)
        intention = builders.make_intention(purchaser=purchaser, published_at=None)
        owes(
            purchaser,
            "procurement.intention_to_publish",
            url=reverse("procurement:intention_detail", args=[intention.pk]),
        )
        owes_nothing(cast.purchaser2, agency, bureau, supplier)
        intention = publish_intention(intention=intention, acting_user=purchaser)
        owes_nothing(purchaser)
        # Another purchaser's consultation, which needs the bureau's approval (GPL Art 27).
        consultation_intention = builders.make_intention(
            purchaser=cast.purchaser2,
            published_at=INTENTION_DAY,
            project_name="全市政务云平台运维服务",
            budget=Decimal("2500000.00"),
        )
        owes_nothing(cast.purchaser2)

    with at(PLAN_DAY):
        # 2. The plan, entrusted to the agency: the purchaser submits it, the bureau files it.
        plan = builders.make_plan(
            purchaser=purchaser,
            bureau=None,
            intention=intention,
            submitted=False,
            filed=False,
            agency=agency_org,
            budget=Decimal("1500000.00"),
            lots=[
                PlanLotValues(
                    name="教学一体机", kind=ProcurementKind.GOODS, budget=Decimal("1500000.00")
                )
            ],
        )
        plan_url = reverse("procurement:plan_detail", args=[plan.pk])
        owes(purchaser, "procurement.plan_to_submit", url=plan_url)
        owes_nothing(agency, bureau)
        submit_plan(plan=plan, acting_user=purchaser)
        owes_nothing(purchaser, agency)
        owes(bureau, "procurement.plan_to_file", url=plan_url)
        file_plan(plan=plan, acting_user=bureau)
        owes_nothing(bureau)
        # Filed: the purchaser and the agency it entrusted may prepare the project.
        for user in (purchaser, agency):
            owes(user, "procurement.project_to_prepare", url=reverse("procurement:projects"))

        # 3. The method approval: the bureau decides the change of method, then files the plan.
        consultation = builders.make_plan(
            purchaser=cast.purchaser2,
            bureau=None,
            intention=consultation_intention,
            submitted=True,
            filed=False,
            kind=ProcurementKind.SERVICES,
            method=ProcurementMethod.COMPETITIVE_CONSULTATION,
            method_ground=MethodGround.CONSULTATION_SERVICES,
            method_reason="属于政府购买服务项目，服务内容需与供应商磋商确定。",
            sme_mode=SmeMode.NONE,
            sme_share=None,
            sme_reasons="全市统一平台运维，中小企业难以独立承担。",
            lots=[
                PlanLotValues(
                    name="平台运维服务",
                    kind=ProcurementKind.SERVICES,
                    budget=Decimal("2500000.00"),
                )
            ],
        )
        consultation_url = reverse("procurement:plan_detail", args=[consultation.pk])
        owes(bureau, "procurement.method_to_decide", url=consultation_url)
        owes_nothing(cast.purchaser2)
        approve_method_change(
            approval=consultation.method_approvals.pending().get(), acting_user=bureau
        )
        owes(bureau, "procurement.plan_to_file", url=consultation_url)
        file_plan(plan=consultation, acting_user=bureau)
        owes_nothing(bureau)
        owes(
            cast.purchaser2,
            "procurement.project_to_prepare",
            url=reverse("procurement:projects"),
        )
        # Each purchaser's project is its own: the first one's list has not changed.
        owes(purchaser, "procurement.project_to_prepare", url=reverse("procurement:projects"))

        # 4. The agency prepares the project: announcing the lots is its step alone.
        project = create_project(plan=plan, acting_user=agency)
        project_url = reverse("procurement:project_detail", args=[project.pk])
        owes_nothing(purchaser)
        owes(agency, "procurement.lots_to_announce", url=project_url)
        builders.set_up_lots(project, deadline=DEADLINE, acting_user=agency)
        builders.add_documents(project, acting_user=agency)
        owes(agency, "procurement.lots_to_announce", url=project_url)
        publish_tender_announcement(project=project, acting_user=agency)
        owes_nothing(purchaser, agency, bureau, supplier)
        lot = project.lots.get()
        set_opening_rules(lot=lot, reupload=True, window_minutes=60, acting_user=agency)

    # 5. A supplier's question: the agency answers it before the bid deadline.
    with at(PLAN_DAY + dt.timedelta(days=3)):
        question = ask_question(lot=lot, question="可否分批交货？", acting_user=supplier)
        owes(
            agency,
            "procurement.question_to_answer",
            url=reverse("procurement:clarification_answer", args=[question.pk]),
            due=DEADLINE,
        )
        owes_nothing(purchaser, supplier, bureau)
        answer_question(clarification=question, answer="不可分批。", acting_user=agency)
        owes_nothing(agency, purchaser)

    # 6. The bids: nothing is owed until the deadline opens them.
    with at(DEADLINE - dt.timedelta(days=1)):
        bids = [
            bid(lot, supplier, "1400000.00"),
            bid(lot, supplier2, "1410000.00", files=[pdf_file(marker="乙")]),
            bid(lot, third, "1420000.00", files=[pdf_file(marker="丙")]),
        ]
        owes_nothing(purchaser, bureau, supplier, supplier2, third)
        # Two working days before the evaluation (right after the opening) the draw of the
        # committee is owed by whoever runs the procurement: the agency (experts.todo).
        owes_the_draw()

    # 7. The deadline: each bidder owes its decryption within the window.
    opening_url = reverse("bidding:opening", args=[lot.pk])
    with at(DEADLINE):
        sweep()
        opening = Opening.objects.get(lot=lot)
        window_end = opening.window_ends_at
        for user in (supplier, supplier2, third):
            owes(user, "bidding.bid_to_decrypt", url=opening_url, due=window_end)
        owes_nothing(purchaser, bureau)
        owes_the_draw()

    # 8. Decrypted: the step goes from the bidder that did it, and only from it.
    with at(DEADLINE + dt.timedelta(minutes=2)):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=supplier)
        owes_nothing(supplier)
        owes(supplier2, "bidding.bid_to_decrypt", url=opening_url, due=window_end)
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=supplier2)
        owes_nothing(supplier, supplier2)

    # 9. The third bid's sealed file was changed by the platform: the organiser rules on it.
    damage_a_sealed_file(bids[2])
    with at(DEADLINE + dt.timedelta(minutes=5)):
        with pytest.raises(DomainError) as broken:
            decrypt_bid(bid=bids[2], passphrase=PASSPHRASE, acting_user=third)
        assert broken.value.code == "seal_broken"
        owes_nothing(third)  # not the bidder's doing: it waits for the ruling
        # The purchaser and its agency may each rule (bidding.rule_on_failure); either does it.
        owes(purchaser, "bidding.failure_to_rule_on", url=opening_url, due=window_end)
        assert set(owed(agency)) == {"bidding.failure_to_rule_on", DRAW}
        # The agency records the failure as the platform's: the bidder uploads its files again.
        remedied = record_platform_failure(bid=bids[2], acting_user=agency)
        owes_nothing(purchaser)
        owes_the_draw()
        owes(
            third,
            "bidding.files_to_upload_again",
            url=reverse("bidding:reupload", args=[bids[2].uuid]),
            due=remedied.remedy_until,
        )

    # 10. The files restored, the opening ends: every bidder confirms the record or objects.
    with at(DEADLINE + dt.timedelta(minutes=10)):
        remedy_bid(
            bid=bids[2],
            passphrase=PASSPHRASE,
            files=[pdf_file(marker="丙")],
            acting_user=third,
        )
        opening.refresh_from_db()
        assert opening.is_finished
        for user in (supplier, supplier2, third):
            owes(
                user,
                "bidding.record_to_confirm",
                url=opening_url,
                due=opening.confirmation_ends_at,
            )
        respond_to_record(opening=opening, kind="confirm", acting_user=supplier)
        owes_nothing(supplier)
        owes(
            supplier2,
            "bidding.record_to_confirm",
            url=opening_url,
            due=opening.confirmation_ends_at,
        )
        owes_nothing(purchaser, bureau)
        owes_the_draw()

    # 11. The confirmation window ends: a silent bidder is deemed to accept (O87 Art 42).
    with at(opening.confirmation_ends_at):
        owes_nothing(supplier2, third, purchaser, bureau, *bystanders)
        owes_the_draw()
        owes(
            cast.purchaser2,
            "procurement.project_to_prepare",
            url=reverse("procurement:projects"),
        )
