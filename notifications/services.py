"""Sending notifications: inbox rows now, e-mail and SMS in Celery tasks after the commit."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, MembershipRole, Organisation, OrganisationKind, User
from common.errors import DomainError

from .models import Channel, Delivery, DeliveryStatus, Notification, ReminderLetter
from .sms import get_sms_backend

if TYPE_CHECKING:
    from documents.models import StoredFile

logger = logging.getLogger(__name__)

INBOX = "inbox"
CHANNELS = {INBOX, Channel.EMAIL, Channel.SMS}
ATTACHMENT_USE = "notifications.attachment"
REMINDER_LETTER_USE = "notifications.reminder_letter"
REMINDER_LETTER_KIND = "notifications.reminder_letter"
REMINDER_LETTER_TEMPLATE = "notifications/pdf/reminder_letter.html"

# Kinds name template folders, so they must never climb out of them ("../../secret").
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")

NO_EMAIL_ADDRESS = _("No address: the recipient has no e-mail address.")
NO_PHONE_NUMBER = _("No address: the recipient has no mobile phone number.")
NO_RECIPIENT = _(
    "%(organisation)s has no active user to receive the reminder letter. "
    "Add a user to the organisation first."
)


class MissingMessageTemplate(ImproperlyConfigured):
    """A kind was sent without its subject.txt/body.txt: a programming error, raised at once."""


def _templates(kind: str) -> tuple[Any, Any]:
    """The subject and body templates of `kind`; MissingMessageTemplate if either is absent."""
    if not KIND_PATTERN.fullmatch(kind):
        raise MissingMessageTemplate(
            f"Notification kind {kind!r} is not a dotted lowercase name like 'timers.reminder'."
        )
    try:
        return (
            get_template(f"notifications/{kind}/subject.txt"),
            get_template(f"notifications/{kind}/body.txt"),
        )
    except TemplateDoesNotExist as exc:
        raise MissingMessageTemplate(
            f"No message templates for notification kind {kind!r}: add "
            f"templates/notifications/{kind}/subject.txt and body.txt to the app that sends it "
            f"(missing: {exc})."
        ) from exc


def render_message(*, kind: str, context: dict[str, Any]) -> tuple[str, str]:
    """The (title, body) of a message of `kind`, rendered in the site's language as plain text."""
    subject_template, body_template = _templates(kind)
    # Messages go to other people, so they are written in the site's language (Chinese), not in
    # whatever language the acting user happens to browse in.
    with translation.override(settings.LANGUAGE_CODE):
        # Plain text for e-mail and SMS: no HTML escaping ("&" stays "&"). The inbox page
        # escapes the stored text when it shows it.
        title = subject_template.template.render(Context(context, autoescape=False))
        body = body_template.template.render(Context(context, autoescape=False))
    title = " ".join(title.split())
    if not title:
        raise MissingMessageTemplate(f"The subject of notification kind {kind!r} is empty.")
    return title[:255], body.strip()


def _check_channels(channels: Iterable[str]) -> list[str]:
    channels = list(dict.fromkeys(channels))
    unknown = set(channels) - CHANNELS
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    # The inbox row is always written: it is what the deliveries hang on and what the bureau
    # reads when a delivery failed.
    return [channel for channel in channels if channel != INBOX]


def _subject_fields(subject: models.Model | None) -> dict[str, Any]:
    if subject is None:
        return {"subject_type": None, "subject_id": None}
    return {
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": subject.pk,
    }


def _subject_url(subject: models.Model | None, context: dict[str, Any]) -> str:
    url = context.get("url")
    if url:
        return str(url)
    get_url = getattr(subject, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def _address(user: User, channel: str) -> str:
    if channel == Channel.EMAIL:
        return (user.email or "").strip()
    return (user.phone or "").strip()


def _store_attachment(attachment: tuple[str, bytes]) -> StoredFile:
    from documents.services import store_file

    name, data = attachment
    return store_file(upload=SimpleUploadedFile(name, data), use=ATTACHMENT_USE, acting_user=None)


def _unique_active(recipients: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in recipients:
        if user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _send(
    *,
    recipients: Iterable[User],
    kind: str,
    context: dict[str, Any],
    subject: models.Model | None,
    channels: Iterable[str],
    attachment: StoredFile | None,
    event: str = "",
) -> list[Notification]:
    from .tasks import deliver

    outward = _check_channels(channels)
    users = _unique_active(recipients)
    if event:
        # Whoever this event reached already (through another organisation) is not told again.
        told = set(
            Notification.objects.filter(event=event, recipient__in=users).values_list(
                "recipient_id", flat=True
            )
        )
        users = [u for u in users if u.pk not in told]
    base = {"subject": subject, "site_name": settings.SITE_NAME, **context}
    # Render before writing anything: a kind without templates fails here, changing nothing.
    messages = [render_message(kind=kind, context={**base, "recipient": u}) for u in users]
    subject_fields = _subject_fields(subject)
    url = _subject_url(subject, context)
    notifications: list[Notification] = []
    with transaction.atomic():
        for user, (title, body) in zip(users, messages, strict=True):
            notification = Notification.objects.create(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                attachment=attachment,
                event=event,
                **subject_fields,
            )
            notifications.append(notification)
            for channel in outward:
                delivery = Delivery(notification=notification, channel=channel)
                delivery.address = _address(user, channel)
                if not delivery.address:
                    # Visible, not silent: the bureau sees who could not be reached.
                    missing = NO_EMAIL_ADDRESS if channel == Channel.EMAIL else NO_PHONE_NUMBER
                    with translation.override(settings.LANGUAGE_CODE):
                        delivery.mark_failed(error=str(missing))
                delivery.save()
                if delivery.status == DeliveryStatus.PENDING:
                    deliver.delay_on_commit(delivery.pk)
    return notifications


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    context: dict[str, Any],
    subject: models.Model | None = None,
    channels: Iterable[str] = (INBOX, Channel.EMAIL),
    attachment: tuple[str, bytes] | None = None,
    event: str = "",
) -> list[Notification]:
    """Put a message of `kind` in each recipient's inbox and queue its e-mail/SMS after commit.

    The text comes from templates/notifications/<kind>/subject.txt and body.txt (any app's
    templates folder), rendered with `context` plus `recipient`, `subject` and `site_name`;
    a link to the subject's page is `context["url"]` or else `subject.get_absolute_url()`.
    `attachment` is (file name, bytes), stored once and attached to every copy.
    `event` names the event that causes the message (e.g. "bidding.opening_started:12"): a
    person it already reached, through another organisation or role, is not told again.
    Raises MissingMessageTemplate, before writing anything, when the kind has no templates.
    """
    channels = tuple(channels)
    _check_channels(channels)
    recipients = list(recipients)
    _templates(kind)  # a kind without templates fails before the attachment is stored
    with transaction.atomic():
        stored = _store_attachment(attachment) if attachment is not None else None
        return _send(
            recipients=recipients,
            kind=kind,
            context=context,
            subject=subject,
            channels=channels,
            attachment=stored,
            event=event,
        )


def members_of(organisation: Organisation) -> models.QuerySet[User]:
    """Active users of an active organisation, its administrators first."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__organisation__is_active=True,
        )
        .annotate(
            is_org_admin=Max(
                models.Case(
                    models.When(memberships__role=MembershipRole.ADMIN, then=1),
                    default=0,
                )
            )
        )
        .order_by("-is_org_admin", "pk")
    )


def notify_organisation(
    *,
    organisation: Organisation,
    kind: str,
    context: dict[str, Any],
    subject: models.Model | None = None,
    channels: Iterable[str] = (INBOX, Channel.EMAIL),
    event: str = "",
) -> list[Notification]:
    """Notify every active member of `organisation`."""
    return notify(
        recipients=members_of(organisation),
        kind=kind,
        context={"organisation": organisation, **context},
        subject=subject,
        channels=channels,
        event=event,
    )


def notify_bureau(
    *,
    kind: str,
    context: dict[str, Any],
    subject: models.Model | None = None,
    channels: Iterable[str] = (INBOX, Channel.EMAIL),
    event: str = "",
) -> list[Notification]:
    """Notify every active member of every finance-bureau organisation."""
    supervisors = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            organisation__kind=OrganisationKind.BUREAU, organisation__is_active=True
        ).values("user_id"),
    ).order_by("pk")
    return notify(
        recipients=supervisors,
        kind=kind,
        context=context,
        subject=subject,
        channels=channels,
        event=event,
    )


# Reminder letters (提醒函) -------------------------------------------------------------------


def _issuing_bureau(acting_user: User | None) -> Organisation | None:
    if acting_user is not None:
        own = Membership.objects.filter(
            user=acting_user, organisation__kind=OrganisationKind.BUREAU
        ).select_related("organisation")
        if membership := own.first():
            return membership.organisation
    return (
        Organisation.objects.filter(kind=OrganisationKind.BUREAU, is_active=True)
        .order_by("pk")
        .first()
    )


def _create_letter(**fields: Any) -> ReminderLetter:
    """Give the letter the next serial of its year; a concurrent letter makes us take the next."""
    year = fields["created"].year
    for _attempt in range(5):
        last = ReminderLetter.objects.filter(year=year).aggregate(last=Max("serial"))["last"]
        try:
            with transaction.atomic():
                return ReminderLetter.objects.create(year=year, serial=(last or 0) + 1, **fields)
        except IntegrityError:
            continue
    raise IntegrityError("Could not allocate a reminder letter number after 5 attempts.")


def send_reminder_letter(
    *,
    organisation: Organisation,
    subject: models.Model | None,
    title: str,
    body: str,
    acting_user: User | None,
) -> Notification:
    """Issue a reminder letter (提醒函) to `organisation` as a PDF and notify its members.

    Every active member gets an inbox copy and an e-mail with the PDF attached; the copy for
    the organisation's first administrator is returned. Raises DomainError when the
    organisation has no active user (nobody could receive it).
    """
    from documents.pdf import render_pdf
    from documents.services import store_file

    recipients = list(members_of(organisation))
    if not recipients:
        raise DomainError(
            gettext(str(NO_RECIPIENT)) % {"organisation": organisation.name}, code="no_recipient"
        )
    bureau = _issuing_bureau(acting_user)
    now = timezone.now()
    with transaction.atomic():
        letter = _create_letter(
            organisation=organisation,
            title=title,
            body=body,
            issued_by=acting_user,
            created=now,
            **_subject_fields(subject),
        )
        # A formal letter in the official language whatever the issuer browses in.
        with translation.override(settings.LANGUAGE_CODE):
            pdf = render_pdf(
                template_name=REMINDER_LETTER_TEMPLATE,
                context={
                    "letter": letter,
                    "number": str(letter.number),
                    "bureau_name": bureau.name if bureau else gettext("Finance Bureau"),
                    "organisation": organisation,
                    "issued": timezone.localtime(now).date(),
                    "paragraphs": [p.strip() for p in body.split("\n") if p.strip()],
                },
            )
            file_name = gettext("Reminder letter %(number)s.pdf") % {"number": letter.number}
        letter.pdf = store_file(
            upload=SimpleUploadedFile(file_name, pdf, content_type="application/pdf"),
            use=REMINDER_LETTER_USE,
            acting_user=acting_user,
        )
        letter.save(update_fields=["pdf"])
        notifications = _send(
            recipients=recipients,
            kind=REMINDER_LETTER_KIND,
            context={"letter": letter, "number": str(letter.number), "organisation": organisation},
            subject=subject,
            channels=(INBOX, Channel.EMAIL),
            attachment=letter.pdf,
        )
        _record(
            action="notifications.reminder_letter.sent",
            actor=acting_user,
            organisation=organisation,
            subject=letter,
            data={"number": str(letter.number), "title": title, "recipients": len(notifications)},
        )
    return notifications[0]


def _record(**event: Any) -> None:
    from audit.services import record_event

    record_event(**event)


# Reading ---------------------------------------------------------------------------------------


def mark_notification_read(*, notification: Notification, acting_user: User) -> Notification:
    """Mark one of the acting user's notifications as read (reading twice keeps the first time)."""
    if notification.recipient_id != acting_user.pk:
        raise DomainError(gettext("This notification is not addressed to you."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def close_notifications(
    *,
    kinds: Iterable[str],
    subject: models.Model,
    organisation: Organisation | None = None,
    at: datetime | None = None,
) -> int:
    """The step a message asked for is done: its open copies are closed (and count as read).

    Called by the service that does the step, for every member of `organisation` (whoever of
    them did it), or for everyone told when `organisation` is None (the bureau's decisions).
    Returns how many were closed; closing again closes nothing.
    """
    now = at or timezone.now()
    open_copies = Notification.objects.filter(
        kind__in=list(kinds), closed_at__isnull=True, **_subject_fields(subject)
    )
    if organisation is not None:
        open_copies = open_copies.filter(recipient__memberships__organisation=organisation)
    # Notifications are not under simple-history: one UPDATE per state of read_at is honest.
    ids = list(open_copies.values_list("pk", flat=True))
    if not ids:
        return 0
    rows = Notification.objects.filter(pk__in=ids)
    rows.filter(read_at__isnull=True).update(read_at=now)
    return rows.update(closed_at=now)


def mark_all_notifications_read(*, acting_user: User) -> int:
    """Mark every unread notification of the acting user as read; returns how many."""
    # Notifications are not under simple-history, so one UPDATE is the honest write here.
    return Notification.objects.for_user(acting_user).unread().update(read_at=timezone.now())


# Delivering --------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    link = _absolute(reverse("notifications:detail", args=[notification.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        footer = gettext("Read it on %(site)s: %(link)s") % {
            "site": settings.SITE_NAME,
            "link": link,
        }
    message = EmailMessage(
        subject=notification.title,
        body=f"{notification.body}\n\n{footer}\n",
        to=[delivery.address],
    )
    if notification.attachment is not None:
        stored = notification.attachment
        with stored.file.open("rb") as handle:
            message.attach(stored.download_name, handle.read(), stored.served_content_type)
    message.send(fail_silently=False)


def _send_sms(delivery: Delivery) -> None:
    notification = delivery.notification
    link = _absolute(reverse("notifications:detail", args=[notification.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        # Chinese operators require the sender's signature in 【】 at the start of every SMS.
        text = f"【{settings.SITE_NAME}】{notification.title} {link}"
    get_sms_backend().send(delivery.address, text)


# Keyed by the stored channel value (a plain str on a loaded row).
SENDERS: dict[str, Callable[[Delivery], None]] = {
    Channel.EMAIL: _send_email,
    Channel.SMS: _send_sms,
}


def attempt_delivery(*, delivery_id: int, final_attempt: bool) -> str | None:
    """Try once to send a pending delivery; returns its status afterwards (None if gone).

    Idempotent: the row is re-read under a lock and anything not pending is left alone, so a
    duplicate task does nothing. A failure records the error and stays pending for the retry,
    or becomes failed on the final attempt.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery.status if delivery else None
        delivery.attempts += 1
        try:
            SENDERS[delivery.channel](delivery)
        except Exception as exc:  # any gateway failure is recorded and retried, never lost
            error = f"{type(exc).__name__}: {exc}"[:2000]
            logger.warning(
                "Delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, error
            )
            if final_attempt:
                delivery.mark_failed(error=error)
            else:
                delivery.last_error = error
        else:
            delivery.mark_sent(at=timezone.now())
        delivery.save()
        return delivery.status


def retry_delivery(*, delivery: Delivery, acting_user: User | None) -> bool:
    """Put a failed delivery back in the queue for another round of attempts."""
    from .tasks import deliver

    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.status != DeliveryStatus.FAILED:
            return False
        if not locked.address:
            # Pick up an address added since (the reason it failed); still none: stays failed.
            locked.address = _address(locked.notification.recipient, locked.channel)
            if not locked.address:
                return False
        locked.requeue()
        locked.save()
        _record(
            action="notifications.delivery.requeued",
            actor=acting_user,
            subject=locked,
            data={"channel": locked.channel, "attempts": locked.attempts},
        )
        deliver.delay_on_commit(locked.pk)
    return True
