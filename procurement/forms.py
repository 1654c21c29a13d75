"""Forms: parsing and validation of input only; the legal rules live in the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import organisation_of
from common.forms import FileNoticeMixin

from .models import (
    METHOD_GROUNDS,
    CatalogueCategory,
    EvaluationMethod,
    ImplementationPlan,
    IntentionStatus,
    Lot,
    ProcurementIntention,
    ProcurementKind,
    ProcurementMethod,
    ReviewConclusion,
    SmeMode,
    TenderDocument,
)
from .services._base import budget_ceiling_problems
from .services.announcements import CorrectionValues
from .services.intentions import (
    BAD_PHONE,
    BUDGET_NOT_POSITIVE,
    is_phone_number,
    month_in_the_past,
    past_month_message,
)
from .services.plans import PlanLotValues, PlanValues
from .services.projects import CriterionValues, LotValues
from .services.single_source import (
    ContactValues,
    NoticeValues,
    ObjectionValues,
    ProfessionalValues,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value


class MonthField(forms.DateField):
    """A month (<input type=month>), stored as the first day of the month."""

    widget = MonthInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class MomentField(forms.DateTimeField):
    """A Beijing-time moment from <input type=datetime-local>."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        )
        super().__init__(**kwargs)


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.error_text_inline = False  # a field's errors one below the other, as as_crispy_field
    return helper


def clean_budget_ceiling(budget: Decimal | None) -> Decimal | None:
    """The budget field refuses an amount above the bureau's ceiling (the services again)."""
    problems = budget_ceiling_problems(budget)
    if problems:
        raise forms.ValidationError(problems)
    return budget


class IntentionForm(forms.ModelForm):
    expected_month = MonthField(label=_("expected month"))

    class Meta:
        model = ProcurementIntention
        fields = [
            "project_name",
            "summary",
            "budget",
            "expected_month",
            "sme_reserved",
            "contact_name",
            "contact_phone",
            "remarks",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["contact_phone"].help_text = _(
            "A mobile number or a landline with its area code, e.g. 0371-67180000."
        )

    # Each field refused with its own message (the services check the same again).

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget <= 0:
            raise forms.ValidationError(BUDGET_NOT_POSITIVE)
        return clean_budget_ceiling(budget)

    def clean_expected_month(self):
        month = self.cleaned_data["expected_month"]
        if month and month_in_the_past(month):
            raise forms.ValidationError(past_month_message())
        return month

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if not is_phone_number(phone):
            raise forms.ValidationError(BAD_PHONE)
        return phone

    def values(self) -> dict:
        return dict(self.cleaned_data)


GROUND_METHOD: dict[str, str] = {
    ground: method for method, grounds in METHOD_GROUNDS.items() for ground in grounds
}


class GroundSelect(forms.Select):
    """Grounds grouped by method; each option names its method so the page can offer only the
    chosen method's grounds (procurement/plan_form.js)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        method = GROUND_METHOD.get(str(value))
        if method:
            option["attrs"]["data-method"] = str(method)
        return option


def ground_choices() -> list:
    return [("", "---------")] + [
        (ProcurementMethod(method).label, [(g.value, g.label) for g in grounds])
        for method, grounds in METHOD_GROUNDS.items()
    ]


class PlanForm(forms.Form):
    intention = forms.ModelChoiceField(
        label=_("procurement intention"),
        queryset=ProcurementIntention.objects.none(),
        required=False,
        help_text=_("The published intention of this project."),
    )
    intention_exempt = forms.BooleanField(
        label=_("No intention: urgent project caused by unforeseeable reasons"), required=False
    )
    exemption_reason = forms.CharField(
        label=_("reason for the exemption"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    project_name = forms.CharField(label=_("project name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind of procurement"), choices=ProcurementKind.choices)
    method = forms.ChoiceField(label=_("procurement method"), choices=ProcurementMethod.choices)
    budget = forms.DecimalField(
        label=_("budget (yuan)"), max_digits=16, decimal_places=2, min_value=Decimal("0.01")
    )
    sme_mode = forms.ChoiceField(
        label=_("SME decision"), choices=SmeMode.choices, widget=forms.RadioSelect
    )
    sme_share = forms.DecimalField(
        label=_("share reserved for SMEs (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
    )
    sme_reasons = forms.CharField(
        label=_("reasons for the SME decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agency = forms.ModelChoiceField(
        label=_("entrusted agency"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.AGENCY, is_active=True),
        required=False,
        help_text=_("Leave empty if the purchaser runs the procurement itself."),
    )
    method_ground = forms.ChoiceField(
        label=_("legal ground for the method"),
        choices=ground_choices,
        required=False,
        widget=GroundSelect,
    )
    method_reason = forms.CharField(
        label=_("reasons for the method"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the project meets the ground: the facts the bureau decides on."),
    )
    original_contract_reference = forms.CharField(
        label=_("original contract number"), max_length=100, required=False
    )
    original_contract_amount = forms.DecimalField(
        label=_("original contract amount (yuan)"),
        required=False,
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_(
            "Follow-on purchases from the original supplier may total at most the legal share "
            "of it, earlier follow-ons included."
        ),
    )

    def __init__(
        self, *args, purchaser: Organisation, plan: ImplementationPlan | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        taken = ImplementationPlan.objects.filter(intention__isnull=False)
        if plan is not None:
            taken = taken.exclude(pk=plan.pk)
        field = self.fields["intention"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = ProcurementIntention.objects.filter(
            purchaser=purchaser, status=IntentionStatus.PUBLISHED
        ).exclude(pk__in=taken.values("intention_id"))
        self.helper = _helper()

    def clean_budget(self):
        return clean_budget_ceiling(self.cleaned_data["budget"])

    def values(self, lots: list[PlanLotValues]) -> PlanValues:
        data = self.cleaned_data
        return PlanValues(
            project_name=data["project_name"],
            kind=data["kind"],
            method=data["method"],
            budget=data["budget"],
            sme_mode=data["sme_mode"],
            intention=data["intention"],
            intention_exempt=data["intention_exempt"] and data["intention"] is None,
            exemption_reason=data["exemption_reason"],
            sme_share=data["sme_share"],
            sme_reasons=data["sme_reasons"],
            agency=data["agency"],
            method_ground=data["method_ground"],
            method_reason=data["method_reason"],
            original_contract_reference=data["original_contract_reference"],
            original_contract_amount=data["original_contract_amount"],
            lots=lots,
        )

    @staticmethod
    def initial_for(plan: ImplementationPlan) -> dict:
        return {
            "intention": plan.intention,
            "intention_exempt": plan.intention_exempt,
            "exemption_reason": plan.exemption_reason,
            "project_name": plan.project_name,
            "kind": plan.kind,
            "method": plan.method,
            "budget": plan.budget,
            "sme_mode": plan.sme_mode,
            "sme_share": plan.sme_share,
            "sme_reasons": plan.sme_reasons,
            "agency": plan.agency,
            "method_ground": plan.method_ground,
            "method_reason": plan.method_reason,
            "original_contract_reference": plan.original_contract_reference,
            "original_contract_amount": plan.original_contract_amount,
        }


class PlanLotForm(forms.Form):
    name = forms.CharField(label=_("lot name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind of procurement"), choices=ProcurementKind.choices)
    budget = forms.DecimalField(
        label=_("budget (yuan)"), max_digits=16, decimal_places=2, min_value=Decimal("0.01")
    )
    sme_reserved = forms.BooleanField(label=_("reserved for SMEs"), required=False)

    def clean_budget(self):
        return clean_budget_ceiling(self.cleaned_data["budget"])


PlanLotFormSet = forms.formset_factory(
    PlanLotForm, extra=0, min_num=1, validate_min=True, max_num=20
)


def plan_lot_values(formset) -> list[PlanLotValues]:
    return [
        PlanLotValues(
            name=f.cleaned_data["name"],
            kind=f.cleaned_data["kind"],
            budget=f.cleaned_data["budget"],
            sme_reserved=f.cleaned_data.get("sme_reserved", False),
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class ReturnPlanForm(forms.Form):
    reasons = forms.CharField(
        label=_("reasons for returning"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanDocumentForm(FileNoticeMixin, forms.Form):
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        required=False,
        help_text=_("E.g. the experts' opinion on the method, the original contract."),
    )
    file = forms.FileField(label=_("file (PDF, OFD, Word, JPEG or PNG, at most 20 MB)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ApproveMethodForm(forms.Form):
    opinion = forms.CharField(
        label=_("bureau's opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: conditions or remarks that go with the approval."),
    )


class RejectMethodForm(forms.Form):
    reasons = forms.CharField(
        label=_("reasons for not approving"), widget=forms.Textarea(attrs={"rows": 3})
    )


# --------------------------------------------------------------------------------------------
# Single source notice (O74 Arts 38–40)


class SingleSourceNoticeForm(forms.Form):
    """What the notice says, item by item as O74 Art 38 lists it; the period is computed."""

    project_content = forms.CharField(
        label=_("project content"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Item 1: what the project is for and what it comprises."),
    )
    goods_description = forms.CharField(
        label=_("description of the goods or services"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Item 2: the goods or services to be bought, their quantity and main specifications."
        ),
    )
    reasons = forms.CharField(
        label=_("reasons for single source and their explanation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Item 3: why only this supplier can provide it."),
    )
    supplier_name = forms.CharField(label=_("proposed sole supplier"), max_length=200)
    supplier_address = forms.CharField(label=_("supplier's address"), max_length=255)
    purchaser_address = forms.CharField(label=_("purchaser's contact address"), max_length=255)
    purchaser_person = forms.CharField(label=_("purchaser's contact person"), max_length=100)
    purchaser_phone = forms.CharField(label=_("purchaser's contact phone"), max_length=32)
    agency_address = forms.CharField(label=_("agency's contact address"), max_length=255)
    agency_person = forms.CharField(label=_("agency's contact person"), max_length=100)
    agency_phone = forms.CharField(label=_("agency's contact phone"), max_length=32)
    bureau = forms.ModelChoiceField(
        label=_("finance bureau"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.BUREAU, is_active=True),
        help_text=_("The finance department that approves the method (O74 Art 4)."),
    )
    bureau_address = forms.CharField(label=_("bureau's contact address"), max_length=255)
    bureau_person = forms.CharField(label=_("bureau's contact person"), max_length=100)
    bureau_phone = forms.CharField(label=_("bureau's contact phone"), max_length=32)

    def __init__(self, *args, plan: ImplementationPlan, **kwargs):
        super().__init__(*args, **kwargs)
        if plan.agency is None:  # the purchaser runs the procurement itself
            for name in ("agency_address", "agency_person", "agency_phone"):
                del self.fields[name]
        self.has_agency = plan.agency is not None
        self.helper = _helper()

    @staticmethod
    def initial_for(plan: ImplementationPlan) -> dict:
        """What the plan, its intention and the organisations already say."""
        purchaser, agency, intention = plan.purchaser, plan.agency, plan.intention
        bureaus = list(
            Organisation.objects.filter(kind=OrganisationKind.BUREAU, is_active=True).order_by(
                "pk"
            )[:2]
        )
        bureau = bureaus[0] if len(bureaus) == 1 else None
        initial = {
            "project_content": intention.summary if intention else "",
            "reasons": plan.method_reason,
            "purchaser_address": purchaser.address,
            "purchaser_person": intention.contact_name if intention else "",
            "purchaser_phone": (intention.contact_phone if intention else "")
            or purchaser.contact_phone,
            "bureau": bureau,
            "bureau_address": bureau.address if bureau else "",
            "bureau_phone": bureau.contact_phone if bureau else "",
        }
        if agency is not None:
            initial.update(agency_address=agency.address, agency_phone=agency.contact_phone)
        return initial

    def _clean_phone(self, name: str) -> str:
        phone = self.cleaned_data[name].strip()
        if not is_phone_number(phone):
            raise forms.ValidationError(BAD_PHONE)
        return phone

    def clean_purchaser_phone(self):
        return self._clean_phone("purchaser_phone")

    def clean_agency_phone(self):
        return self._clean_phone("agency_phone")

    def clean_bureau_phone(self):
        return self._clean_phone("bureau_phone")

    def values(self, professionals: list[ProfessionalValues]) -> NoticeValues:
        data = self.cleaned_data

        def contact(party: str) -> ContactValues:
            return ContactValues(
                address=data[f"{party}_address"],
                person=data[f"{party}_person"],
                phone=data[f"{party}_phone"],
            )

        return NoticeValues(
            project_content=data["project_content"],
            goods_description=data["goods_description"],
            reasons=data["reasons"],
            supplier_name=data["supplier_name"],
            supplier_address=data["supplier_address"],
            purchaser_contact=contact("purchaser"),
            agency_contact=contact("agency") if self.has_agency else None,
            bureau=data["bureau"],
            bureau_contact=contact("bureau"),
            professionals=professionals,
        )


class ProfessionalForm(forms.Form):
    """One professional's opinion on the supplier's uniqueness (O74 Art 38(5))."""

    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=100)
    employer = forms.CharField(label=_("employer"), max_length=200)
    title = forms.CharField(label=_("professional title"), max_length=100)
    opinion = forms.CharField(
        label=_("specific opinion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the supplier is the only one: patents, proprietary technology…"),
    )


ProfessionalFormSet = forms.formset_factory(
    ProfessionalForm, extra=0, min_num=1, validate_min=True, max_num=15
)


def professional_values(formset) -> list[ProfessionalValues]:
    return [
        ProfessionalValues(
            name=f.cleaned_data["name"],
            employer=f.cleaned_data["employer"],
            title=f.cleaned_data["title"],
            opinion=f.cleaned_data["opinion"],
        )
        for f in formset.forms
        if f.cleaned_data
    ]


class ObjectionForm(FileNoticeMixin, forms.Form):
    """An objection to a single source notice, from anyone (O74 Art 39)."""

    name = forms.CharField(label=_("your name"), max_length=100)
    organisation = forms.CharField(
        label=_("organisation"),
        max_length=200,
        required=False,
        help_text=_("Optional: the supplier or unit you object for."),
    )
    phone = forms.CharField(label=_("contact phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    text = forms.CharField(
        label=_("objection"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you object to in the notice, and why, with the facts you know."),
    )
    attachment = forms.FileField(
        label=_("attachment (PDF, OFD, Word, JPEG or PNG, at most 20 MB)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not is_phone_number(phone):
            raise forms.ValidationError(BAD_PHONE)
        return phone

    def clean(self):
        data = super().clean() or {}
        # A phone or e-mail refused on its own already says what to correct.
        refused = self.has_error("phone") or self.has_error("email")
        if not refused and not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(
                _(
                    "Give a contact phone or an e-mail address, so that you can be told the "
                    "conclusion."
                )
            )
        return data

    @staticmethod
    def initial_for(user) -> dict:
        """A signed-in objector's own details, to correct if needed."""
        if not getattr(user, "is_authenticated", False):
            return {}
        organisation = organisation_of(user)
        return {
            "name": user.full_name or user.username,
            "organisation": organisation.name if organisation else "",
            "phone": user.phone,
            "email": user.email,
        }

    def values(self) -> ObjectionValues:
        data = self.cleaned_data
        return ObjectionValues(
            name=data["name"],
            organisation=data["organisation"],
            phone=data["phone"],
            email=data["email"],
            text=data["text"],
        )


class ReviewForm(forms.Form):
    """The purchaser's conclusion on the objections (O74 Art 40)."""

    conclusion = forms.ChoiceField(
        label=_("conclusion of the supplementary review"),
        choices=ReviewConclusion.choices,
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("review opinion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The reasons for the conclusion, answering each objection: it goes to the finance "
            "bureau with the request, and the objectors are told."
        ),
    )

    @property
    def upheld(self) -> bool:
        return self.cleaned_data["conclusion"] == ReviewConclusion.UPHELD


class LotForm(forms.Form):
    max_price = forms.DecimalField(
        label=_("maximum price (yuan)"),
        required=False,
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("Optional; within the budget. A minimum price may not be set (O87 Art 12)."),
    )
    qualification_requirements = forms.CharField(
        label=_("qualification requirements"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Size conditions (registered capital, revenue, headcount…), the years since "
            "founding, the form of ownership, the place of registration or a local branch may "
            "not be required; saving refuses them (《政府采购货物和服务招标投标管理办法》"
            "（财政部令第87号）第十七条；《中华人民共和国政府采购法实施条例》第二十条)."
        ),
    )
    evaluation_method = forms.ChoiceField(
        label=_("evaluation method"), choices=EvaluationMethod.choices
    )
    price_weight = forms.DecimalField(
        label=_("price weight (%)"), required=False, max_digits=5, decimal_places=2
    )
    sme_deduction = forms.DecimalField(
        label=_("small and micro enterprise price deduction (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
    )
    bid_deadline = MomentField(
        label=_("bid deadline (Beijing time)"),
        help_text=_("The opening happens at the bid deadline."),
    )
    decryption_window_minutes = forms.IntegerField(
        label=_("decryption window (minutes)"), min_value=1, max_value=1440
    )
    category = forms.ModelChoiceField(
        label=_("catalogue category"),
        queryset=CatalogueCategory.objects.order_by("code"),
        required=False,
        help_text=_(
            "The category of the procurement catalogue (政府采购品目分类目录): the evaluation "
            "experts are drawn among those who specialise in it or in a broader category."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def values(self, criteria: list[CriterionValues]) -> LotValues:
        """The values as parsed; a refused field's value is missing (see `refused`)."""
        data = self.cleaned_data
        comprehensive = data.get("evaluation_method") == EvaluationMethod.COMPREHENSIVE
        return LotValues(
            qualification_requirements=data.get("qualification_requirements", ""),
            evaluation_method=data.get("evaluation_method", ""),
            bid_deadline=data.get("bid_deadline"),
            decryption_window_minutes=data.get("decryption_window_minutes"),
            max_price=data.get("max_price"),
            price_weight=data.get("price_weight") if comprehensive else None,
            sme_deduction=data.get("sme_deduction"),
            criteria=criteria if comprehensive else [],
            category=data.get("category"),
        )

    def refused(self) -> set[str]:
        """The fields refused on their own: the rules on them wait for a value."""
        return {name for name in self.errors if name in self.fields}


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("factor"), max_length=200)
    points = forms.DecimalField(
        label=_("points"), max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )
    description = forms.CharField(label=_("how it is scored"), required=False, max_length=2000)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=30)


def criterion_values(formset) -> list[CriterionValues]:
    return [
        CriterionValues(
            name=f.cleaned_data["name"],
            points=f.cleaned_data["points"],
            description=f.cleaned_data.get("description", ""),
        )
        for f in formset.forms
        if f.cleaned_data
    ]


class DocumentForm(FileNoticeMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    lot = forms.ModelChoiceField(
        label=_("lot"),
        queryset=Lot.objects.none(),
        required=False,
        empty_label=_("All lots"),
    )
    file = forms.FileField(label=_("file (PDF, Word or ZIP, at most 50 MB)"))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lot"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = project.lots.all()
        self.helper = _helper()


class CorrectionForm(FileNoticeMixin, forms.Form):
    """What the correction changes, each as data (the notice and the project follow it)."""

    new_deadline = MomentField(
        label=_("new bid deadline and opening (Beijing time)"),
        required=False,
        help_text=_("Leave empty to keep the deadline."),
    )
    documents_until = MomentField(
        label=_("tender documents provided until (Beijing time)"),
        required=False,
        help_text=_(
            "Extends the period for obtaining the tender documents, e.g. when fewer than three "
            "suppliers obtained them (O87 Art 18); no later than the bid deadline. Leave empty "
            "to keep it."
        ),
    )
    contact_name = forms.CharField(
        label=_("new project contact person"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to keep the contact."),
    )
    contact_phone = forms.CharField(
        label=_("new project contact phone"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to keep the phone."),
    )
    changes_documents = forms.BooleanField(
        label=_("The correction changes the tender documents (it may affect the bids)"),
        required=False,
        help_text=_("Then upload the new or replacement document, or tick those withdrawn."),
    )
    new_document_title = forms.CharField(
        label=_("new document title"), max_length=200, required=False
    )
    new_document = forms.FileField(label=_("new or replacement document"), required=False)
    withdrawn = forms.ModelMultipleChoiceField(
        label=_("documents withdrawn"),
        queryset=TenderDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    corrections = forms.CharField(
        label=_("other corrections"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Anything else the correction changes, as it will be published."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["withdrawn"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # declared above
        field.queryset = TenderDocument.objects.filter(project=project, is_current=True)
        self.fields["contact_name"].widget.attrs["placeholder"] = project.contact_name
        self.fields["contact_phone"].widget.attrs["placeholder"] = project.contact_phone
        self.helper = _helper()

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not is_phone_number(phone):
            raise forms.ValidationError(BAD_PHONE)
        return phone

    def values(self) -> CorrectionValues:
        data = self.cleaned_data
        uploads = []
        if data.get("new_document"):
            uploads.append((data["new_document_title"], data["new_document"]))
        return CorrectionValues(
            corrections=data["corrections"],
            changes_documents=data["changes_documents"],
            new_deadline=data["new_deadline"],
            documents_until=data["documents_until"],
            uploads=uploads,
            withdrawn=list(data["withdrawn"]),
            contact_name=data["contact_name"].strip(),
            contact_phone=data["contact_phone"],
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The answer is published to all suppliers; your organisation is not named in it."
        ),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 5}))
    new_deadline = MomentField(
        label=_("new bid deadline (Beijing time)"),
        required=False,
        help_text=_("Required when less time is left than the clarification period."),
    )
