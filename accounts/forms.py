"""Sign-in, organisation and licence registration forms: parsing and validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .licence import LicenceClaims
from .models import Organisation, User
from .registration import supplier_registration_extensions
from .uscc import USCC_ALREADY_REGISTERED, normalise_uscc, validate_uscc

mobile_phone_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number, e.g. 13812345678.")
)
region_code_validator = RegexValidator(
    r"^\d{6}$", _("An administrative division code has six digits, e.g. 410100.")
)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. Both are case-sensitive; please try again."
        ),
        "inactive": _(
            "This account has been deactivated. Please contact your organisation's administrator."
        ),
    }

    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class USCCField(forms.CharField):
    """A unified social credit code: spaces removed, upper-cased, checked (GB 32100-2015)."""

    default_validators = [validate_uscc]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unified social credit code"))
        kwargs.setdefault("max_length", 40)  # before normalising: pasted codes carry blanks
        kwargs.setdefault(
            "help_text", _("The 18-character code on the business licence (统一社会信用代码).")
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value: Any) -> str:
        # CharField.to_python gives its empty_value, "" here, for empty input: never None.
        return normalise_uscc(super().to_python(value) or "")


class OrganisationForm(forms.ModelForm):
    """The bureau's organisation form (admin): the code is normalised and checked, and unique."""

    uscc = USCCField()

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "uscc",
            "region_code",
            "region_name",
            "legal_representative",
            "address",
            "contact_phone",
            "is_active",
        ]

    def clean_uscc(self) -> str:
        code = self.cleaned_data["uscc"]
        taken = Organisation.objects.filter(uscc=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(USCC_ALREADY_REGISTERED, code="unique")
        return code

    def clean_region_code(self) -> str:
        code = self.cleaned_data["region_code"].strip()
        region_code_validator(code)
        return code


class SimulatedScanForm(forms.Form):
    """The development provider's stand-in for the licence app: which enterprise is scanned."""

    uscc = USCCField()
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=100)


class SupplierRegistrationForm(forms.Form):
    """After a verified licence scan: the rest of the supplier's record and its administrator.

    The code, name and legal representative come from the licence and are shown, not edited; a
    duplicate code (someone registered the same enterprise meanwhile) is reported on `uscc`.
    """

    uscc = forms.CharField(label=_("Unified social credit code"), disabled=True, required=False)
    name = forms.CharField(label=_("Enterprise name"), disabled=True, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), disabled=True, required=False
    )
    region_code = forms.CharField(
        label=_("Administrative region code"),
        max_length=6,
        validators=[region_code_validator],
        help_text=_("Six digits; taken from characters 3–8 of the code, change it if needed."),
    )
    region_name = forms.CharField(
        label=_("Administrative region"),
        max_length=100,
        help_text=_("For example 河南省平顶山市."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        # The account's own check, here too: all the form's errors come in one answer.
        validators=[User.username_validator],
        help_text=_("For signing in; letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    full_name = forms.CharField(label=_("Contact person's full name"), max_length=100)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=11,
        validators=[mobile_phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Notices and password resets are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, claims: LicenceClaims, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("region_code", claims.uscc[2:8])
        super().__init__(*args, **kwargs)
        self.claims = claims
        # Disabled fields show the licence's values whatever the browser sends back.
        self.fields["uscc"].initial = claims.uscc
        self.fields["name"].initial = claims.name
        self.fields["legal_representative"].initial = claims.legal_representative
        self.extension_field_names: list[str] = []
        for extension in supplier_registration_extensions():
            for field_name, field in extension.fields().items():
                self.fields[field_name] = field
                self.extension_field_names.append(field_name)

    @property
    def extension_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.extension_field_names]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("This username is taken; please choose another."), code="unique"
            )
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if Organisation.objects.filter(uscc=self.claims.uscc).exists():
            self.add_error("uscc", ValidationError(USCC_ALREADY_REGISTERED, code="unique"))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""),
                full_name=cleaned.get("full_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def extension_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.extension_field_names}


class AccountChoiceField(forms.ModelChoiceField):
    """A user account, shown as its full name with the username beside it."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.username}）"


class LicenceAccountForm(forms.Form):
    """Which of the organisation's administrator accounts the licence holder signs in as."""

    account = AccountChoiceField(
        label=_("Account"), queryset=User.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args: Any, accounts: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, AccountChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in accounts]).order_by(
            "full_name", "username"
        )
