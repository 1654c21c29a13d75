"""Complaints demo (issue 13): a complaint decided and its decision published, through the services.

The question s85 left replied to and not upheld (on 市图书馆自助借还设备采购项目, the lot the
evaluation stage awarded) goes on to the finance bureau: its questioner complains within the 15
working days after the reply period (GPL Art 55, O94 Art 17); the bureau accepts it (the receipt,
受理回执, starts the 30-working-day decision clock, O94 Art 26), sends it to the purchaser, which
answers; the bureau dismisses it as groundless (O94 Art 29 (二)) with the letter of O94 Art 31 and
publishes the decision on the portal (O94 Art 33 / IR Art 58). The complainant follows the case on
the public status page with its number and access code, printed once when the demo is seeded.

Everything happens at the moment the demo is seeded, after the reply it follows. Idempotent: the
question is skipped once a complaint exists on it.
"""

from __future__ import annotations

from complaints.models import Complaint, ComplaintOutcome, DismissalGround, Question, QuestionState
from complaints.services_complaint import (
    ComplaintContent,
    DecisionContent,
    accept_complaint,
    answer_complaint,
    decide_complaint,
    file_complaint,
    publish_decision,
    send_to_respondent,
)

from . import DemoContext
from .s70_evaluation import AWARDED_PROJECT


def _user_of(ctx: DemoContext, organisation_id: int | None):
    for user in ctx.users.values():
        membership = getattr(user, "memberships", None)
        if membership is not None and membership.filter(organisation_id=organisation_id).exists():
            return user
    return None


def run(ctx: DemoContext) -> None:
    question = (
        Question.objects.select_related("lot", "lot__project", "supplier")
        .filter(lot__project__name=AWARDED_PROJECT, state=QuestionState.REPLIED)
        .order_by("pk")
        .first()
    )
    if question is None or Complaint.objects.filter(question=question).exists():
        return
    questioner = _user_of(ctx, question.supplier_id)
    if questioner is None:
        return
    bureau = ctx.users["bureau"]
    complaint, code = file_complaint(
        question=question,
        content=ComplaintContent(
            address="平顶山市新华区建设路中段28号",
            postcode="467000",
            contact=questioner.full_name or "联系人",
            phone="0375-2960188",
            respondent_address="平顶山市新华区光明路中段",
            respondent_contact="采购人联系人",
            respondent_phone="0375-2662100",
            question_account=f"已于质疑期内提出质疑（{question.number}），采购人答复不成立。",
            items=question.items,
            facts=question.facts,
            legal_basis=question.legal_basis,
            signatory=f"{questioner.full_name}（授权代表）",
            items_within_question=True,
        ),
        acting_user=questioner,
    )
    accept_complaint(complaint=complaint, acting_user=bureau)
    send_to_respondent(complaint=complaint, acting_user=bureau)
    respondent = _user_of(ctx, complaint.respondent_id)
    if respondent is not None:
        answer_complaint(
            complaint=complaint,
            answer="中标人提交的业绩合同均为自助借还设备采购，金额符合招标文件要求，评审无误。",
            acting_user=respondent,
        )
    decide_complaint(
        complaint=complaint,
        content=DecisionContent(
            outcome=ComplaintOutcome.DISMISSED,
            dismissal_ground=DismissalGround.NO_BASIS,
            facts="经审查，中标人投标文件所附三份业绩合同均为自助借还设备采购合同，金额符合招标文件要求。",
            decision="投诉事项缺乏事实依据，驳回投诉。",
            legal_basis="《政府采购质疑和投诉办法》（财政部令第94号）第二十九条第（二）项",
            reconsideration_body="平顶山市人民政府",
            court="平顶山市新华区人民法院",
        ),
        acting_user=bureau,
    )
    publish_decision(complaint=complaint, acting_user=bureau)
    ctx.say(
        f"complaints: complaint {complaint.number} decided and published; status page code {code}"
    )
