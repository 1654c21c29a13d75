"""Parsing only: the committee draw, an answer to an invitation, a period of unavailability, the
import file. The rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.forms import FileNoticeMixin
from procurement.forms import MomentField

from .models import Unavailability
from .services import CommitteeValues


class CommitteeForm(forms.Form):
    evaluation_at = MomentField(label=_("evaluation starts at (Beijing time)"))
    size = forms.IntegerField(
        label=_("committee size"),
        min_value=3,
        max_value=25,
        help_text=_(
            "An odd number: at least 5, at least 7 from a budget of 10 million yuan or for "
            "a technically complex project or one of high social impact (O87 Art 47)."
        ),
    )
    complex_or_high_impact = forms.BooleanField(
        label=_("technically complex or of high social impact"), required=False
    )
    remote_evaluation = forms.BooleanField(
        label=_("remote evaluation"),
        required=False,
        help_text=_("Remote evaluation may be drawn earlier than two working days before."),
    )
    representative = forms.ModelChoiceField(
        label=_("purchaser's representative"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Optional; sits as the purchaser's representative, never as the leader."),
    )

    def __init__(self, *args, purchaser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = User.objects.filter(
            memberships__organisation=purchaser, is_active=True, is_expert=False
        ).order_by("full_name", "username")

    def values(self) -> CommitteeValues:
        data = self.cleaned_data
        return CommitteeValues(
            evaluation_at=data["evaluation_at"],
            size=data["size"],
            complex_or_high_impact=data["complex_or_high_impact"],
            remote_evaluation=data["remote_evaluation"],
            representative=data.get("representative"),
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for declining"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A conflict of interest, illness, another commitment…"),
    )


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["start", "end", "reason"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day is on or after the first."))
        return data


class ImportForm(FileNoticeMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: 姓名, 身份证号, 手机号, 电子邮箱, 职称, 工作单位, 工作单位统一社会信用代码, "
            "地区代码, 地区名称, 专业品目代码 (several separated by ；)."
        ),
    )
