"""Complaints demo (issue 13): a complaint decided and its decision published, through the services.

The question s85 left replied to and not upheld (on 市图书馆自助借还设备采购项目, the lot the
evaluation stage awarded) goes on to the finance bureau: its questioner complains within the 15
working days after the reply period (GPL Art 55, O94 Art 17); the bureau accepts it (the receipt,
受理回执, starts the 30-working-day decision clock, O94 Art 26), sends it to the purchaser, which
answers; the bureau dismisses it as groundless (O94 Art 29 (二)) with the letter of O94 Art 31 and
publishes the decision on the portal (O94 Art 33 / IR Art 58). The complainant follows the case on
the public status page with its number and access code, printed once when the demo is seeded.

A second case is still being handled: on the agency's tender still on offer
(平顶山市第一中学智慧教室设备采购项目), 华信 questions the training lot's documents (a requirement
that the training be given at the supplier's own premises in the city), the agency replies not
upheld, and 华信 complains. The bureau accepts the complaint, sends the requirement for expert
review (the decision period stops meanwhile, O94 Art 27) and suspends the procurement of the lot
for 20 days (O94 Art 28; GPL Art 57): the lot shows as suspended, the suspension notice is on the
portal and the lot's clocks stand still until it resumes.

Everything happens at the moment the demo is seeded, after the reply it follows. Idempotent: the
question is skipped once a complaint exists on it.
"""

from __future__ import annotations

from complaints.models import (
    Complaint,
    ComplaintOutcome,
    DismissalGround,
    Question,
    QuestionOutcome,
    QuestionState,
    QuestionTarget,
    ReferralKind,
)
from complaints.services import file_question, reply_to_question
from complaints.services_complaint import (
    ComplaintContent,
    DecisionContent,
    accept_complaint,
    answer_complaint,
    decide_complaint,
    file_complaint,
    publish_decision,
    refer_for_examination,
    send_to_respondent,
    suspend_procurement,
)
from procurement.models import Lot

from . import DemoContext
from .s70_evaluation import AWARDED_PROJECT
from .s85_complaints import AGENCY_PROJECT, _letter, _materials, _org, _responder


def _user_of(ctx: DemoContext, organisation_id: int | None):
    for user in ctx.users.values():
        membership = getattr(user, "memberships", None)
        if membership is not None and membership.filter(organisation_id=organisation_id).exists():
            return user
    return None


def _content(question: Question, questioner) -> ComplaintContent:
    return ComplaintContent(
        address="平顶山市新华区建设路中段28号",
        postcode="467000",
        contact=questioner.full_name or "联系人",
        phone="0375-2960188",
        respondent_address="平顶山市新华区光明路中段",
        respondent_contact="采购人联系人",
        respondent_phone="0375-2662100",
        question_account=f"已于质疑期内提出质疑（{question.number}），答复质疑事项不成立。",
        items=question.items,
        facts=question.facts,
        legal_basis=question.legal_basis,
        signatory=f"{questioner.full_name}（授权代表）",
        items_within_question=True,
    )


def run(ctx: DemoContext) -> None:
    _decided_case(ctx)
    _suspended_case(ctx)


def _suspended_case(ctx: DemoContext) -> None:
    lot = (
        Lot.objects.select_related("project").filter(project__name=AGENCY_PROJECT, number=2).first()
    )
    supplier = _org(ctx, "supplier")
    if lot is None or Question.objects.filter(lot=lot, supplier=supplier).exists():
        return
    question = file_question(
        lot=lot,
        content=_letter(
            ctx,
            "supplier",
            target=QuestionTarget.DOCUMENTS,
            items="培训须在供应商设于本市的自有培训场所进行，构成对外地供应商的差别待遇，请求删除。",
            facts="招标文件第三章第 2.4 条要求投标人在本市设有自有培训场所，与培训服务的实际需要无关。",
            legal_basis="《中华人民共和国政府采购法实施条例》第二十条第（二）项、第（八）项",
        ),
        acting_user=ctx.users["supplier"],
        attachment=_materials(ctx, "supplier", "培训场所要求说明"),
    )
    question = reply_to_question(
        question=question,
        outcome=QuestionOutcome.NOT_UPHELD,
        reply="培训须保证教师就近参加，本地培训场所要求与项目实际需要相适应，质疑事项不成立。",
        facts="本项目参训教师 120 人，均在本市任教。",
        legal_basis="《政府采购质疑和投诉办法》（财政部令第94号）第十四条",
        acting_user=_responder(lot),
    )
    questioner = ctx.users["supplier"]
    bureau = ctx.users["bureau"]
    complaint, code = file_complaint(
        question=question, content=_content(question, questioner), acting_user=questioner
    )
    accept_complaint(complaint=complaint, acting_user=bureau)
    send_to_respondent(complaint=complaint, acting_user=bureau)
    refer_for_examination(
        complaint=complaint,
        kind=ReferralKind.EXPERT_REVIEW,
        body="平顶山市政府采购评审专家（教育装备类）",
        subject_matter="“本市自有培训场所”要求是否与培训服务的实际需要相适应",
        expected_days=5,
        acting_user=bureau,
    )
    suspend_procurement(complaint=complaint, days=20, acting_user=bureau)
    ctx.say(
        f"complaints: complaint {complaint.number} accepted, sent for expert review and the "
        f"procurement of lot {lot.pk} suspended for 20 days; status page code {code}"
    )


def _decided_case(ctx: DemoContext) -> None:
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
        content=_content(question, questioner),
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
