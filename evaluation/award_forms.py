"""Forms of the report and result pages: parsing only (merged into forms.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignForm(forms.Form):
    dissent = forms.CharField(
        label=_("Dissent and its reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to sign the report as it stands."),
    )


class ConfirmForm(forms.Form):
    """One reason field per candidate; a filled reason passes that candidate over."""

    def __init__(self, *args, candidates: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for row in candidates[:-1]:
            self.fields[f"reason_{row['bid']}"] = forms.CharField(
                label=_("Reason for not choosing %(name)s (rank %(rank)s)")
                % {"name": row["supplier"], "rank": row["rank"]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def passed_over(self) -> dict[str, str]:
        """The candidates passed over, in ranking order, with their reasons."""
        out: dict[str, str] = {}
        for row in self.candidates[:-1]:
            reason = self.cleaned_data.get(f"reason_{row['bid']}", "").strip()
            if reason:
                out[row["bid"]] = reason
        return out
