from __future__ import annotations

import subprocess

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from common.errors import DomainError
from notifications.models import Notification, ReminderLetter
from notifications.services import send_reminder_letter
from tests.factories import OrganisationFactory, UserFactory

BODY = (
    "你单位“2026年教学设备采购项目”的评审结果已于规定时间确定，但采购合同至今尚未签订。\n"
    "根据《中华人民共和国政府采购法》第四十六条，请于收到本函后一个工作日内完成合同签订。"
)


def pdf_text(stored_file) -> str:
    with stored_file.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.fixture
def purchaser_org(cast):
    return cast.purchaser.memberships.get().organisation


@time_machine.travel("2026-03-05 10:00 +0800", tick=False)
def test_it_sends_a_reminder_letter_as_a_pdf_with_its_chinese(
    cast, purchaser_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send_reminder_letter(
            organisation=purchaser_org,
            subject=purchaser_org,
            title="关于及时签订政府采购合同的提醒",
            body=BODY,
            acting_user=cast.bureau,
        )
    letter = ReminderLetter.objects.get()
    assert (letter.year, letter.serial) == (2026, 1)
    assert notification.recipient == cast.purchaser
    assert notification.kind == "notifications.reminder_letter"
    assert notification.title == "提醒函：关于及时签订政府采购合同的提醒（提醒〔2026〕1号）"
    assert notification.attachment == letter.pdf
    assert notification.subject == purchaser_org
    assert letter.pdf.kind == "pdf" and letter.pdf.use == "notifications.reminder_letter"
    assert letter.pdf.uploaded_by == cast.bureau

    text = pdf_text(letter.pdf)
    flat = "".join(text.split())
    for expected in [
        "市财政局",  # letterhead: the issuing bureau
        "提醒函",
        "编号：提醒〔2026〕1号",
        "市教育局：",  # the addressee
        "关于及时签订政府采购合同的提醒",
        "第四十六条",
        "2026年3月5日",
        "（此件为系统生成的电子提醒函）",
    ]:
        assert expected in flat, expected

    (email,) = mail.outbox
    assert email.to == ["purchaser@example.cn"]
    assert email.subject == notification.title
    name, content, content_type = email.attachments[0]
    assert name == "提醒函（提醒〔2026〕1号）.pdf"
    assert content.startswith(b"%PDF") and content_type == "application/pdf"


def test_it_numbers_letters_in_sequence_within_a_year(cast, purchaser_org):
    for _ in range(2):
        send_reminder_letter(
            organisation=purchaser_org,
            subject=None,
            title="提醒",
            body="请处理。",
            acting_user=None,
        )
    year = timezone.localdate().year
    assert list(ReminderLetter.objects.order_by("serial").values_list("year", "serial")) == [
        (year, 1),
        (year, 2),
    ]


def test_it_sends_a_copy_to_every_member_and_returns_the_administrators(cast, purchaser_org):
    staff = UserFactory(username="clerk", organisation=purchaser_org, organisation__role="staff")
    notification = send_reminder_letter(
        organisation=purchaser_org, subject=None, title="提醒", body="请处理。", acting_user=None
    )
    assert notification.recipient == cast.purchaser
    copies = Notification.objects.filter(kind="notifications.reminder_letter")
    assert {n.recipient for n in copies} == {cast.purchaser, staff}
    assert len({n.attachment_id for n in copies}) == 1


def test_it_refuses_a_letter_nobody_could_receive(cast):
    empty = OrganisationFactory(name="无人单位")
    with pytest.raises(DomainError, match="无人单位"):
        send_reminder_letter(
            organisation=empty, subject=None, title="提醒", body="请处理。", acting_user=None
        )
    assert ReminderLetter.objects.count() == 0
