"""The bureau's admin: who was told what, and which e-mails and SMS did not get through."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Organisation

from .kinds import kind_label
from .models import Delivery, DeliveryStatus, Notification, ReminderLetter
from .selectors import visible_notifications
from .services import retry_delivery


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence: nobody adds, edits or deletes these through a screen."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("Unread")), ("yes", _("Read"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """The kinds sent so far, each by its label."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = Notification.objects.order_by().values_list("kind", flat=True).distinct()
        return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda pair: pair[0])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


class RecipientOrganisationFilter(admin.SimpleListFilter):
    title = _("recipient's organisation")
    parameter_name = "organisation"

    def lookups(self, request, model_admin):
        return [(org.pk, org.name) for org in Organisation.objects.order_by("kind", "name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(recipient__memberships__organisation_id=self.value())
        return queryset


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ("channel", "address", "status", "attempts", "last_error", "sent_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind_name", "created", "read_at", "failed_deliveries"]
    list_filter = [ReadFilter, KindFilter, RecipientOrganisationFilter, "created"]
    search_fields = ["title", "body", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created"
    readonly_fields = (
        "recipient",
        "kind_name",
        "title",
        "body",
        "subject_type",
        "subject_id",
        "url",
        "attachment",
        "created",
        "read_at",
    )
    fields = readonly_fields
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return visible_notifications(super().get_queryset(request)).annotate(
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED))
        )

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, obj: Notification) -> str:
        """The kind's label with its code, which names the message templates."""
        label = kind_label(obj.kind)
        return obj.kind if label == obj.kind else f"{label}（{obj.kind}）"

    @admin.display(description=_("failed deliveries"), ordering="failed_count")
    def failed_deliveries(self, obj) -> str:
        return obj.failed_count or ""


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "notification_title",
        "recipient",
        "channel",
        "address",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "created",
    ]
    list_filter = ["status", "channel", "created"]
    search_fields = [
        "address",
        "last_error",
        "notification__title",
        "notification__recipient__username",
        "notification__recipient__full_name",
    ]
    list_select_related = ["notification__recipient"]
    readonly_fields = (
        "notification_link",
        "channel",
        "address",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "created",
        "modified",
    )
    fields = readonly_fields
    actions = ["retry_failed"]

    def get_queryset(self, request):
        return visible_notifications(super().get_queryset(request), prefix="notification__")

    @admin.display(description=_("notification"), ordering="notification__title")
    def notification_title(self, obj) -> str:
        return obj.notification.title

    @admin.display(description=_("recipient"))
    def recipient(self, obj) -> str:
        return str(obj.notification.recipient)

    @admin.display(description=_("notification"))
    def notification_link(self, obj) -> str:
        url = reverse("admin:notifications_notification_change", args=[obj.notification_id])
        return format_html('<a href="{}">{}</a>', url, obj.notification.title)

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_delivery")

    @admin.action(description=_("Retry failed deliveries"), permissions=["retry"])
    def retry_failed(self, request, queryset) -> None:
        requeued = skipped = 0
        for delivery in queryset.filter(status=DeliveryStatus.FAILED).select_related(
            "notification__recipient"
        ):
            if retry_delivery(delivery=delivery, acting_user=request.user):
                requeued += 1
            else:
                skipped += 1
        if requeued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery queued again.",
                    "%(count)d deliveries queued again.",
                    requeued,
                )
                % {"count": requeued},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery still has no address and stays failed.",
                    "%(count)d deliveries still have no address and stay failed.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        if not requeued and not skipped:
            self.message_user(request, _("None of the selected deliveries failed."), messages.INFO)


@admin.register(ReminderLetter)
class ReminderLetterAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "title", "organisation", "issued_by", "created", "pdf_link"]
    list_filter = ["year", "organisation__kind"]
    search_fields = ["title", "body", "organisation__name"]
    list_select_related = ["organisation", "issued_by", "pdf"]
    readonly_fields = (
        "year",
        "serial",
        "organisation",
        "subject_type",
        "subject_id",
        "title",
        "body",
        "pdf_link",
        "issued_by",
        "created",
    )
    fields = readonly_fields

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj) -> str:
        if obj.pdf is None:
            return "-"
        url = reverse("documents:download", args=[obj.pdf.uuid])
        return format_html('<a href="{}">{}</a>', url, obj.pdf.download_name)
