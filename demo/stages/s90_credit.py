"""Credit demo (issue 14): the four-party evaluations the earlier stages opened, given.

The awards of s70/s80 opened node 1 (after the evaluation) and the accepted contracts node 2
(after acceptance) by themselves. Here each rater with a demo account gives its evaluations —
a supplier deducts two points from the purchaser on P05 with its reason, the purchaser three
from the agency on A15 — and grades follow. The purchaser appeals the supplier's evaluation
and the finance bureau amends it. expert1's evaluations are left to give: they show on its
home page (to-do) with their due time. Idempotent: only open tasks are given, and the appeal is
made once.
"""

from __future__ import annotations

from decimal import Decimal

from credit.models import Appeal, CreditEvaluation, EvaluationState, PartyKind, RaterKind
from credit.services import ItemValue, decide_appeal, file_appeal, submit_evaluation
from credit.services.evaluations import manual_indicators

from . import DemoContext

DEDUCTIONS: dict[tuple[str, str], tuple[str, str, str]] = {
    (PartyKind.SUPPLIER, PartyKind.PURCHASER): ("P05", "3", "评分标准中设置了与项目无关的业绩要求"),
    (PartyKind.PURCHASER, PartyKind.AGENCY): ("A15", "2", "开标现场答疑不够及时"),
}


def _user_for(ctx: DemoContext, evaluation: CreditEvaluation):
    if evaluation.rater_expert_id is not None:
        return evaluation.rater_expert
    for user in ctx.users.values():
        if user.memberships.filter(organisation_id=evaluation.rater_organisation_id).exists():
            return user
    return None


def _values(evaluation: CreditEvaluation, deduction) -> dict[int, ItemValue]:
    values = {}
    for indicator in manual_indicators(evaluation):
        if deduction and indicator.code == deduction[0]:
            values[indicator.pk] = ItemValue(points=Decimal(deduction[1]), comment=deduction[2])
        else:
            values[indicator.pk] = ItemValue(points=indicator.points)
    return values


def run(ctx: DemoContext) -> None:
    kept = ctx.users.get("expert1")
    tasks = (
        CreditEvaluation.objects.filter(state=EvaluationState.OPEN)
        .exclude(rater_kind=RaterKind.PLATFORM)
        .select_related("rater_expert", "lot__project")
        .order_by("pk")
    )
    given = 0
    to_appeal = None
    for task in tasks:
        if kept is not None and task.rater_expert_id == kept.pk:
            continue
        user = _user_for(ctx, task)
        if user is None:
            continue
        deduction = DEDUCTIONS.get((task.rater_kind, task.rated_kind))
        evaluation = submit_evaluation(
            evaluation=task, values=_values(task, deduction), acting_user=user
        )
        given += 1
        if deduction and deduction[0] == "P05" and to_appeal is None:
            to_appeal = evaluation
    if given:
        ctx.say(f"credit: {given} four-party evaluations given")
    if to_appeal is None or Appeal.objects.exists():
        return
    purchaser = _user_for_org(ctx, to_appeal.rated_organisation_id)
    if purchaser is None:
        return
    appeal = file_appeal(
        evaluation=to_appeal,
        reasons="采购文件第三章评分标准中的业绩要求与项目直接相关，已在采购需求中说明理由。",
        acting_user=purchaser,
    )
    p05 = to_appeal.items.get(indicator__code="P05")
    decide_appeal(
        appeal=appeal,
        decision="经核查采购文件，业绩要求与项目特点相关，未构成不合理条件，恢复该项分值。",
        amendments={p05.indicator_id: ItemValue(points=p05.indicator.points)},
        acting_user=ctx.users["bureau"],
    )
    ctx.say("credit: one appeal decided (amended) by the bureau")


def _user_for_org(ctx: DemoContext, organisation_id: int | None):
    for user in ctx.users.values():
        if user.memberships.filter(organisation_id=organisation_id).exists():
            return user
    return None
