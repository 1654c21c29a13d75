"""Parsing and validation of the bid, decryption and response forms."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.forms import FileNoticeMixin

from . import crypto
from .declaration import (
    ARRANGEMENT_WITHOUT_SHARE,
    SHARE_RANGE,
    SHARE_WITHOUT_ARRANGEMENT,
    PolicyDeclaration,
    check_declaration,
)
from .models import Arrangement, KeyMethod, ResponseKind
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


def share_field(label, help_text) -> forms.DecimalField:
    """A percentage, 0–100 with two decimals, every refusal in the same words."""
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
        error_messages={
            key: SHARE_RANGE
            for key in (
                "invalid",
                "min_value",
                "max_value",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
            )
        },
    )


class BidForm(FileNoticeMixin, forms.Form):
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
    # The policy declaration (bidding.declaration): sealed with the price, read at the opening.
    arrangement = forms.ChoiceField(
        label=_("Do you bid as a consortium with, or subcontract to, small or micro enterprises?"),
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=Arrangement.NONE,
        help_text=_(
            "For a large or medium enterprise only (财库〔2020〕46号 Art 9 ¶2): when the consortium "
            "or subcontract agreement gives small or micro enterprises 30 per cent or more of the "
            "contract amount, your price is evaluated after the consortium deduction. A "
            "consortium of small or micro enterprises only is itself one (Art 4): use the SME "
            "declaration letter instead."
        ),
    )
    small_micro_share = share_field(
        _("Share of the contract amount held by the small or micro enterprises (%)"),
        _(
            "As the consortium or subcontract agreement states it, 0 to 100. Name each of them "
            "in the SME declaration letter below (财库〔2020〕46号 Art 11)."
        ),
    )
    no_control = forms.BooleanField(
        label=_(
            "None of these small or micro enterprises has a direct controlling or management "
            "relationship with the other members or with us (财库〔2020〕46号 Art 9 ¶2)."
        ),
        required=False,
    )
    domestic_share = share_field(
        _("Domestic products' share of the product cost (%)"),
        _(
            "The cost of the offered products that comes from domestic products (本国产品), 0 to "
            "100. From 80 per cent the whole offer takes the domestic-product price preference "
            "(国办发〔2025〕34号, from 2026-01-01)."
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
        arrangement = data.get("arrangement") or Arrangement.NONE
        share = data.get("small_micro_share")
        if arrangement == Arrangement.NONE and share:
            self.add_error("arrangement", SHARE_WITHOUT_ARRANGEMENT)
        elif arrangement != Arrangement.NONE:
            if "small_micro_share" in data and not share:
                self.add_error("small_micro_share", ARRANGEMENT_WITHOUT_SHARE)
            if not data.get("no_control"):
                self.add_error(
                    "no_control",
                    _(
                        "Confirm that no small or micro partner has a controlling or management "
                        "relationship with the others: otherwise no deduction applies."
                    ),
                )
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
                # Held apart: add_error takes the field out of cleaned_data.
                key_file = data["key_file"]
                try:
                    crypto.read_key_file(key_file.read(4096))
                except crypto.BadKeyFile:
                    self.add_error(
                        "key_file",
                        _("This is not a bid key file of this platform (a .ygkey file)."),
                    )
                finally:
                    key_file.seek(0)
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

    def policy(self, formset) -> PolicyDeclaration | None:
        """The declaration checked with the letter's lines (rule 2); None after adding why not."""
        try:
            return check_declaration(
                arrangement=self.cleaned_data.get("arrangement") or Arrangement.NONE,
                small_micro_share=self.cleaned_data.get("small_micro_share"),
                domestic_share=self.cleaned_data.get("domestic_share"),
                sme_items=self.sme_items(formset),
            )
        except DomainError as error:
            self.add_error("arrangement", str(error))
            return None

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
