"""Parsing and validation of the bid, decryption and response forms."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError

from . import crypto
from .models import KeyMethod, ResponseKind
from .services import MAX_FILES, MIN_PASSPHRASE
from .services._base import _read_files


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            data = [d for d in data if d]
            if data:
                return [single(d, initial) for d in data]
        elif data:
            return [single(data, initial)]
        # No file: the required check belongs to this round of errors, with the price's and
        # the passphrase's, not to a later one once they are fixed.
        if self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return []


class BidForm(forms.Form):
    price = forms.DecimalField(
        label=_("Bid price (yuan)"),
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("Enter your bid price."),
            "invalid": _("Enter the price as a number of yuan."),
            "min_value": _("Enter a positive price in yuan with at most two decimals."),
            "max_decimal_places": _("Enter a positive price in yuan with at most two decimals."),
            "max_digits": _("The price is too large."),
            "max_whole_digits": _("The price is too large."),
        },
    )
    # Named "files" as clients post it (the benchmark too); Django moves declared fields off the
    # class, so it does not shadow BaseForm.files at run time.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Bid files"),
        help_text=_("PDF, Word, Excel or ZIP; up to 10 files of 50 MB."),
        # bidding/static/bidding/bid-files.js keeps the names on this device (by SHA-256).
        widget=MultipleFileInput(attrs={"data-bid-files": ""}),
        error_messages={"required": _("Attach at least one bid file.")},
        # clean_files names each empty file among the others' errors.
        allow_empty_file=True,
    )
    sme_declare = forms.BooleanField(
        label=_("Submit an SME declaration letter (中小企业声明函) with this bid"),
        required=False,
        help_text=_(
            "Only to claim the SME policies (财库〔2020〕46号 Art 11). The letter is sealed with the "
            "bid and read out at the opening."
        ),
    )
    key_method = forms.ChoiceField(
        label=_("Seal the bid with"),
        choices=KeyMethod.choices,
        widget=forms.RadioSelect,
        initial=KeyMethod.PASSPHRASE,
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. Write it down and keep it safe."),
    )
    passphrase_again = forms.CharField(
        label=_("Passphrase again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    key_file = forms.FileField(label=_("Key file (.ygkey)"), required=False)
    understood = forms.BooleanField(
        label=_(
            "I understand that without this passphrase or key file the bid can never be opened: "
            "nobody, the platform included, can recover it, and a bid not decrypted at the "
            "opening is treated as revoked."
        ),
        error_messages={
            "required": _(
                "Tick that you understand a lost passphrase or key file cannot be recovered."
            )
        },
    )

    def clean_files(self):
        """Every file checked now, so that all the form's errors come in one answer.

        The service checks them again (it is the guard); these are the same checks.
        """
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(n)s files.") % {"n": MAX_FILES})
        errors = []
        for upload in files:
            try:
                _read_files([upload])
            except DomainError as error:
                errors.append(str(error))
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("key_method") == KeyMethod.PASSPHRASE:
            passphrase = data.get("passphrase")
            if not passphrase:
                self.add_error("passphrase", _("Enter a passphrase."))
            elif len(passphrase) < MIN_PASSPHRASE:
                self.add_error(
                    "passphrase",
                    _("The passphrase must have at least %(n)s characters.")
                    % {"n": MIN_PASSPHRASE},
                )
            elif passphrase != data.get("passphrase_again"):
                self.add_error("passphrase_again", _("The two passphrases differ."))
        elif data.get("key_method") == KeyMethod.KEY_FILE:
            if not data.get("key_file"):
                self.add_error("key_file", _("Choose your key file."))
            else:
                try:
                    crypto.read_key_file(data["key_file"].read(4096))
                except crypto.BadKeyFile:
                    self.add_error(
                        "key_file",
                        _("This is not a bid key file of this platform (a .ygkey file)."),
                    )
                finally:
                    data["key_file"].seek(0)
        return data

    def sme_valid(self, formset) -> bool:
        """The letter's lines are valid, or no letter is submitted (they are then ignored)."""
        if not self.cleaned_data.get("sme_declare"):
            return True
        if not formset.is_bound:
            self.add_error("sme_declare", _("Add the lines of the SME declaration letter."))
            return False
        return formset.is_valid()

    def sme_items(self, formset) -> list[dict]:
        return formset.lines() if self.cleaned_data.get("sme_declare") else []

    def key_file_bytes(self) -> bytes | None:
        if self.cleaned_data.get("key_method") != KeyMethod.KEY_FILE:
            return None
        return self.cleaned_data["key_file"].read(4096)


class DecryptForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"), required=False, strip=False, widget=forms.PasswordInput
    )
    key_file = forms.FileField(label=_("Key file (.ygkey)"), required=False)

    def key_file_bytes(self) -> bytes | None:
        f = self.cleaned_data.get("key_file")
        return f.read(4096) if f else None


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(choices=ResponseKind.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Objection"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpeningRulesForm(forms.Form):
    reupload = forms.BooleanField(
        label=_(
            "Allow a bidder whose bid the platform cannot decrypt to upload it again (EBID Art 31)"
        ),
        required=False,
        help_text=_(
            "Only when the bidder's key is right and the platform's sealed data failed, and only "
            "after you record the failure as the platform's: the files are accepted if their "
            "SHA-256 equals the receipt's, the price if it matches the commitment sealed with "
            "the bid. Otherwise such a bid is deemed withdrawn."
        ),
    )
    window_minutes = forms.IntegerField(
        label=_("Re-upload window (minutes)"),
        min_value=10,
        max_value=24 * 60,
        initial=60,
        help_text=_("The opening record waits for it."),
    )


class RemedyForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"), required=False, strip=False, widget=forms.PasswordInput
    )
    key_file = forms.FileField(label=_("Key file (.ygkey)"), required=False)
    files = MultipleFileField(  # type: ignore[assignment]  # see BidForm.files
        label=_("The files the platform lost, exactly as you sealed them"), required=False
    )
    price = forms.CharField(label=_("The price you sealed (yuan)"), required=False, max_length=32)

    def key_file_bytes(self) -> bytes | None:
        f = self.cleaned_data.get("key_file")
        return f.read(4096) if f else None
