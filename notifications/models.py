"""Notifications: the inbox row, its e-mail/SMS deliveries, and formal reminder letters (提醒函)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in one person's inbox; the text is rendered once, when it is sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("kind"),
        max_length=100,
        db_index=True,
        help_text=_("Names the message templates, e.g. timers.reminder."),
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    url = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("The page of the matter this message is about."),
    )
    attachment = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("attachment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # A message that asks for a step is closed when the step is done, by whoever in the
    # organisation does it (close_notifications), and then counts as read.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The event that caused it: one event notifies one person once, whatever the number of
    # organisations or roles through which it reaches them (notify(event=...)).
    event = models.CharField(_("event"), max_length=120, blank=True, db_index=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        indexes = [
            # The unread badge in the header counts these on every signed-in page.
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            # The inbox page and the home section: a user's newest first.
            models.Index(fields=["recipient", "-created", "-id"], name="notif_recipient_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Channel(models.TextChoices):
    # A context of its own: "E-mail" alone is also accounts' form label (电子邮箱), and the
    # catalogue of the app listed first in INSTALLED_APPS would win.
    EMAIL = "email", pgettext_lazy("delivery channel", "E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(FSMModelMixin, models.Model):
    """Sending one notification over one channel; failures stay here for the bureau to see."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(
        _("address"),
        max_length=254,
        blank=True,
        help_text=_("The e-mail address or mobile number at the time of sending."),
    )
    status = FSMField(
        _("status"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        protected=True,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address or '-'}"

    @transition(field=status, source=DeliveryStatus.PENDING, target=DeliveryStatus.SENT)
    def mark_sent(self, *, at) -> None:
        self.sent_at = at
        self.last_error = ""

    @transition(field=status, source=DeliveryStatus.PENDING, target=DeliveryStatus.FAILED)
    def mark_failed(self, *, error: str) -> None:
        self.last_error = error

    @transition(field=status, source=DeliveryStatus.FAILED, target=DeliveryStatus.PENDING)
    def requeue(self) -> None:
        """The bureau asks for another round of attempts (after fixing an address, say)."""


class ReminderLetter(models.Model):
    """A formal reminder letter (提醒函) from the finance bureau to an organisation, as a PDF."""

    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("addressee"),
        on_delete=models.PROTECT,
        related_name="reminder_letters",
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"))
    pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system issued the letter (a missed deadline)."),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder letter")
        verbose_name_plural = _("reminder letters")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="reminder_letter_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return _("Reminder [%(year)s] No. %(serial)s") % {"year": self.year, "serial": self.serial}
