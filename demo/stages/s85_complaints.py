"""Questions and inquiries demo (issue 13): each state a newcomer should see, through the services.

On the lot the evaluation stage awarded (市图书馆自助借还设备采购项目, lot 自助借还设备; its
contract is drafted by the contracts stage and waits for the supplier's signature):

1. An inquiry answered — a losing bidder asks how the price score was computed, after bidding
   closed (so while it is open it holds the contract, IR Art 54); the purchaser answers it at once,
   so the contract may still be signed.
2. A question replied to, not upheld — another losing bidder questions the result (its window is
   counted from the last day of the one-working-day result announcement, IR Art 53(三), O87 Art
   69), with its supporting materials; the purchaser replies within the day. The questioner's
   page shows the reply and the date until which it may complain to the finance bureau (O94 Art
   17); the other bidders are sent the reply and may read it, not the materials (O94 Art 13).

On the agency's two-lot tender still on offer (平顶山市第一中学智慧教室设备采购项目), whose
documents 华信, 信达 and 丙 obtained:

3. An inquiry open — 丙 asks about the training lot; it is in the agency's to-do with its
   3-working-day due time (IR Art 52). Asked while the documents are on offer, it is about the
   documents and holds no contract.
4. A question open, its reply clock running — 信达 questions the documents of the first lot (a
   brand-specific requirement); the agency's to-do has "reply" due in 7 working days (GPL Art
   53). A documents question does not hold a contract (and this tender has none yet).

Everything happens at the moment the demo is seeded, after the award it follows. Idempotent: a
case is skipped when its supplier already has one of its kind on the lot.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organisation, User
from accounts.selectors import organisation_of
from complaints.models import Inquiry, Question, QuestionOutcome, QuestionTarget
from complaints.services import (
    QuestionContent,
    answer_inquiry,
    ask_inquiry,
    file_question,
    reply_to_question,
    responder_of,
)
from complaints.views import ATTACHMENT_USE
from documents.services import store_file
from evaluation.models import Award
from procurement.models import Lot

from . import DemoContext
from .s70_evaluation import AWARDED_PROJECT

AGENCY_PROJECT = "平顶山市第一中学智慧教室设备采购项目"


def _materials(ctx: DemoContext, key: str, name: str):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": name, "/Creator": "WPS Office"})
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = SimpleUploadedFile(f"{name}.pdf", buffer.getvalue(), content_type="application/pdf")
    return store_file(upload=upload, use=ATTACHMENT_USE, acting_user=ctx.users[key])


def _org(ctx: DemoContext, key: str) -> Organisation:
    organisation = organisation_of(ctx.users[key])
    assert organisation is not None  # every demo supplier user belongs to its company
    return organisation


def _responder(lot: Lot) -> User:
    user = (
        User.objects.filter(memberships__organisation=responder_of(lot), is_active=True)
        .order_by("pk")
        .first()
    )
    assert user is not None  # every demo organisation has a user
    return user


def _letter(ctx: DemoContext, key: str, **fields) -> QuestionContent:
    """The letter's content (O94 Art 12), with the supplier's particulars."""
    organisation = _org(ctx, key)
    return QuestionContent(
        address=organisation.address or "平顶山市新华区建设路 1 号",
        postcode="467000",
        contact=ctx.users[key].full_name or "联系人",
        phone=organisation.contact_phone or "0375-2690000",
        signatory=f"{ctx.users[key].full_name}（授权代表）",
        **fields,
    )


def _losers(ctx: DemoContext, award: Award) -> list[str]:
    """The demo keys of the bidders on the lot other than the winner, in key order."""
    bidders = set(award.lot.bids.values_list("supplier", flat=True))
    return [
        key
        for key in ("supplier2", "supplier3", "supplier")
        if _org(ctx, key).pk in bidders and _org(ctx, key).pk != award.bid.supplier_id
    ]


def _awarded_lot_cases(ctx: DemoContext) -> None:
    award = (
        Award.objects.select_related("lot__project", "bid")
        .filter(lot__project__name=AWARDED_PROJECT)
        .first()
    )
    if award is None:
        return
    lot = award.lot
    losers = _losers(ctx, award)
    if len(losers) < 2:
        return
    asker, questioner = losers[1], losers[0]
    responder = _responder(lot)
    if not Inquiry.objects.filter(lot=lot, supplier=organisation_of(ctx.users[asker])).exists():
        inquiry = ask_inquiry(
            lot=lot,
            text="价格分是按评标基准价法计算的吗？我公司价格分为何低于第一名？",
            acting_user=ctx.users[asker],
        )
        answer_inquiry(
            inquiry=inquiry,
            answer="价格分采用低价优先法：以满足招标文件要求且投标价格最低的为评标基准价，"
            "其价格分为满分；贵公司报价高于基准价，价格分按比例计算，详见评审报告。",
            acting_user=responder,
        )
        ctx.say(f"complaints: an inquiry on lot {lot.pk} answered by {responder.username}")
    if not Question.objects.filter(
        lot=lot, supplier=organisation_of(ctx.users[questioner])
    ).exists():
        question = file_question(
            lot=lot,
            content=_letter(
                ctx,
                questioner,
                target=QuestionTarget.RESULT,
                items="中标人的同类项目业绩证明不符合招标文件要求，请求重新评审并另行确定中标人。",
                facts="中标人投标文件所附业绩合同未体现自助借还设备，合同金额亦不足招标文件要求。",
                legal_basis="《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十四条",
            ),
            acting_user=ctx.users[questioner],
            attachment=_materials(ctx, questioner, "中标人业绩核查说明"),
        )
        reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="经组织原评标委员会复核，中标人提交的业绩合同符合招标文件要求，质疑事项不成立。",
            facts="中标人投标文件第 45-52 页业绩合同，标的包含自助借还设备 12 台，合同金额 86 万元。",
            legal_basis="《政府采购质疑和投诉办法》（财政部令第94号）第十四条、第十六条",
            acting_user=responder,
        )
        ctx.say(
            f"complaints: question {question.number} on lot {lot.pk} replied (not upheld); "
            f"{questioner} may complain until {question.complaint_closes:%Y-%m-%d}"
        )


def _agency_tender_cases(ctx: DemoContext) -> None:
    lots = {
        lot.number: lot
        for lot in Lot.objects.select_related("project").filter(project__name=AGENCY_PROJECT)
    }
    if 1 not in lots or 2 not in lots:
        return
    if not Inquiry.objects.filter(
        lot=lots[2], supplier=organisation_of(ctx.users["supplier3"])
    ).exists():
        inquiry = ask_inquiry(
            lot=lots[2],
            text="教师培训的课时和参训人数有无最低要求？",
            acting_user=ctx.users["supplier3"],
        )
        ctx.say(f"complaints: an inquiry on lot {lots[2].pk} open, due {inquiry.answer_due}")
    if not Question.objects.filter(
        lot=lots[1], supplier=organisation_of(ctx.users["supplier2"])
    ).exists():
        question = file_question(
            lot=lots[1],
            content=_letter(
                ctx,
                "supplier2",
                target=QuestionTarget.DOCUMENTS,
                items="技术参数第 3 项“触控响应时间≤5ms”仅个别品牌满足，请求修改为≤8ms。",
                facts="经市场调查，主流品牌一体机触控响应时间在 6-8ms 之间。",
                legal_basis="《中华人民共和国政府采购法实施条例》第二十条第（二）项",
            ),
            acting_user=ctx.users["supplier2"],
            attachment=_materials(ctx, "supplier2", "主流品牌参数对比"),
        )
        ctx.say(
            f"complaints: question {question.number} on lot {lots[1].pk} open, the agency's "
            f"reply due {question.reply_due}"
        )


def run(ctx: DemoContext) -> None:
    _awarded_lot_cases(ctx)
    _agency_tender_cases(ctx)
