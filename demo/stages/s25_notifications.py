"""Notifications: a welcome notice in every demo user's inbox and one reminder letter (提醒函)."""

from __future__ import annotations

from accounts.models import Role
from accounts.selectors import role_of
from notifications.models import Notification, ReminderLetter
from notifications.services import notify, send_reminder_letter

from . import DemoContext

LETTER_TITLE = "关于及时公开2026年度政府采购意向的提醒"
LETTER_BODY = (
    "经核查，你单位2026年第二季度的部分采购项目尚未按规定公开政府采购意向。\n"
    "根据《财政部关于开展政府采购意向公开工作的通知》（财库〔2020〕10号），采购意向应当"
    "在采购活动开始前30日公开。请你单位于收到本函后3个工作日内完成意向公开，并将办理情况"
    "通过本平台反馈。"
)


def run(ctx: DemoContext) -> None:
    welcomed = set(
        Notification.objects.filter(kind="notifications.welcome").values_list(
            "recipient_id", flat=True
        )
    )
    for user in ctx.users.values():
        if user.pk in welcomed:
            continue
        role = role_of(user)
        notify(
            recipients=[user],
            kind="notifications.welcome",
            context={"role_label": Role(role).label if role else ""},
            channels=("inbox",),
        )
    purchaser = ctx.orgs["purchaser1"]
    if not ReminderLetter.objects.filter(organisation=purchaser, title=LETTER_TITLE).exists():
        send_reminder_letter(
            organisation=purchaser,
            subject=purchaser,
            title=LETTER_TITLE,
            body=LETTER_BODY,
            acting_user=ctx.users["bureau"],
        )
    ctx.say(
        "Notifications: a welcome notice for every demo user; a reminder letter to 平顶山市教育局."
    )
