"""Delivery and acceptance (履约验收, issue 12 §5; RULES.md §9 G-1–G-4) and their one-day clock.

The law, as the texts have it:
- 《政府采购法》第四十一条 (G-1): the purchaser organises acceptance of the supplier's performance;
  a large or complex project invites a state-recognised quality testing body; "验收方成员应当在
  验收书上签字，并承担相应的法律责任".
- 《政府采购法实施条例》第四十五条 (G-2): acceptance follows every technical, service and safety
  standard of the contract and issues an acceptance report (验收书) that states how each
  standard was performed; for a public service to the public, "验收时应当邀请服务对象参与并出具
  意见，验收结果应当向社会公告".
- 财政部令第87号第七十四条 (G-3): acceptance is timely; other bidders of the project or a third
  party may take part, their opinions kept with the report.
- 财库〔2021〕22号第二十四条 (G-4): the plan names who accepts, how and against what; a project
  performed in stages is accepted by stage (分期验收).

Rules (each refusal names every problem at once):
1. Only the supplier declares delivery, with at least one document, for the next stage of the
   plan not yet passed (stages in their order), one delivery waiting at a time; the day of
   delivery is not in the future nor before the contract was signed.
2. Declaring delivery starts the one-day clock `contracts.acceptance` (RULES.md §17 "履约验收一日
   成"): due at 24:00 of the first working day after, the purchaser responsible.
3. Only the purchaser records acceptance, re-entering its password (the report is signed): every
   contract item checked (IR Art 45), a failed check says what was found; the result agrees with
   the checks (passed: all passed; failed: at least one failed; partly: some of each); a result
   other than passed gives its reasons; at least one member of the purchaser's acceptance team
   (GPL Art 41), and one participant of each kind the plan names (experts; service recipients,
   whose opinion is required for a public service; other bidders; the testing body).
4. Recording meets the clock, renders the report and signs it in PAdES for the purchaser; the
   supplier countersigns it afterwards (G-4: the report is signed by both parties) — its
   signature does not hold up the result, which the payment clock runs from.
5. A passed last stage passes the contract's acceptance (`accepted_at`, the acceptance's
   `accepted_on`); a failed or partly passed one fails it, and the supplier delivers again.
6. A public service's acceptance result is announced on the portal (IR Art 45).
7. `acceptance_passed` (a signal) is sent for every passed acceptance, inside the transaction:
   the payment stage starts its clock from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import is_member
from audit.services import record_event
from common.errors import InvalidTransition, PermissionDenied, RulesBroken
from documents.pdf import render_pdf
from documents.services import store_file
from procurement.models import AnnouncementKind
from procurement.services.announcements import publish_announcement
from timers.registry import one_working_day_due
from timers.services import meet_clock, start_clock

from ..models import (
    Acceptance,
    AcceptanceCheck,
    AcceptanceParticipant,
    AcceptanceResult,
    AcceptanceStage,
    Contract,
    ContractState,
    Delivery,
    ParticipantKind,
    Party,
)
from ._base import transition
from .signing import ALREADY_SIGNED, add_signature, check_password

ACCEPTANCE = "contracts.acceptance"
DELIVERY_DOCUMENT_USE = "contracts.delivery_document"

# Sent with contract=, acceptance= and final= (the contract's acceptance is passed: its last
# stage, or its only one) for each acceptance passed, inside the recording transaction.
acceptance_passed = Signal()

ONLY_SUPPLIER = gettext_lazy("Only the supplier of the contract declares delivery.")
ONLY_PURCHASER = gettext_lazy("Only the purchaser of the contract records acceptance.")
ONLY_PARTIES = gettext_lazy("Only the purchaser and the supplier sign the acceptance report.")
NOT_DELIVERABLE = gettext_lazy("Delivery is declared for a signed contract still being performed.")
WAITING = gettext_lazy(
    "A delivery is already waiting for acceptance: the purchaser records it first."
)
ALL_ACCEPTED = gettext_lazy("Every stage of the contract has passed acceptance.")
ALREADY_RECORDED = gettext_lazy("The acceptance of this delivery has already been recorded.")

# The kinds the plan's flags ask for, and the rule that asks (RULES.md G-1–G-4).
PLAN_KINDS = [
    (
        "with_experts",
        ParticipantKind.EXPERT,
        gettext_lazy("The acceptance plan has experts take part: name at least one expert."),
    ),
    (
        "with_recipients",
        ParticipantKind.RECIPIENT,
        gettext_lazy(
            "The acceptance plan invites the service recipients or users: name at least one "
            "(财库〔2021〕22号第二十四条)."
        ),
    ),
    (
        "with_other_bidders",
        ParticipantKind.OTHER_BIDDER,
        gettext_lazy(
            "The acceptance plan invites other bidders of the project: name at least one "
            "(财政部令第87号第七十四条)."
        ),
    ),
    (
        "with_testing_body",
        ParticipantKind.TESTING_BODY,
        gettext_lazy(
            "The acceptance plan has a quality testing body take part: name it "
            "(《中华人民共和国政府采购法》第四十一条)."
        ),
    ),
]


@dataclass
class CheckValues:
    what: str
    passed: bool
    finding: str = ""
    item_id: int | None = None


@dataclass
class ParticipantValues:
    kind: str
    name: str
    organisation_name: str = ""
    opinion: str = ""


@dataclass
class AcceptanceValues:
    result: str
    checks: list[CheckValues]
    participants: list[ParticipantValues]
    reasons: str = ""
    overall: str = ""


@dataclass
class DeliveryValues:
    delivered_on: dt.date
    note: str = ""
    documents: list[Any] = field(default_factory=list)  # uploaded files


# Reads the services and the pages share ---------------------------------------------------


def stages_of(contract: Contract) -> list[AcceptanceStage]:
    plan = getattr(contract, "acceptance_plan", None)
    return list(plan.stages.all()) if plan is not None else []


def next_stage(
    stages: list[AcceptanceStage], deliveries: list[Delivery]
) -> tuple[bool, AcceptanceStage | None]:
    """(something is left to deliver, the stage it is) from the plan's stages and the contract's
    deliveries with their acceptances: the first stage whose acceptance has not passed (None
    for a plan without stages, delivered whole)."""
    passed = set()
    for delivery in deliveries:
        acceptance = _acceptance_of(delivery)
        if acceptance is not None and acceptance.result == AcceptanceResult.PASSED:
            passed.add(delivery.stage_id)
    if not stages:
        return (None not in passed, None)
    for stage in stages:
        if stage.pk not in passed:
            return (True, stage)
    return (False, None)


def _acceptance_of(delivery: Delivery) -> Acceptance | None:
    try:
        return delivery.acceptance
    except Acceptance.DoesNotExist:
        return None


def waiting_delivery(deliveries: list[Delivery]) -> Delivery | None:
    """The delivery declared and not yet accepted, if any."""
    return next((d for d in deliveries if _acceptance_of(d) is None), None)


def is_last_stage(stages: list[AcceptanceStage], stage: AcceptanceStage | None) -> bool:
    return stage is None or not stages or stage.number == max(s.number for s in stages)


def _deliveries(contract: Contract) -> list[Delivery]:
    return list(contract.deliveries.select_related("acceptance").order_by("declared_at", "id"))


def _today() -> dt.date:
    return timezone.localdate()


# Delivery ---------------------------------------------------------------------------------


def _store_documents(uploads: list[Any], acting_user) -> tuple[list[Any], list[str]]:
    stored, problems = [], []
    for upload in uploads:
        try:
            stored.append(
                store_file(upload=upload, use=DELIVERY_DOCUMENT_USE, acting_user=acting_user)
            )
        except ValidationError as error:
            problems.extend(error.messages)
    return stored, problems


@transaction.atomic
def declare_delivery(*, contract: Contract, values: DeliveryValues, acting_user) -> Delivery:
    """The supplier declares it delivered the next stage (or the whole), with its documents."""
    if not is_member(acting_user, contract.supplier_id):
        raise PermissionDenied(ONLY_SUPPLIER)
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("purchaser", "supplier")
        .get(pk=contract.pk)
    )
    if contract.state not in (
        ContractState.SIGNED,
        ContractState.DELIVERED,
        ContractState.REJECTED,
    ):
        raise InvalidTransition(NOT_DELIVERABLE, code="wrong_state")
    deliveries = _deliveries(contract)
    if waiting_delivery(deliveries) is not None:
        raise InvalidTransition(WAITING, code="waiting")
    stages = stages_of(contract)
    left, stage = next_stage(stages, deliveries)
    if not left:
        raise InvalidTransition(ALL_ACCEPTED, code="all_accepted")
    problems: list[str] = []
    signed_on = timezone.localdate(contract.signed_at) if contract.signed_at else None
    if values.delivered_on > _today():
        problems.append(_("The day of delivery cannot be in the future."))
    elif signed_on is not None and values.delivered_on < signed_on:
        problems.append(
            _("The day of delivery cannot be before the contract was signed (%(day)s).")
            % {"day": signed_on.isoformat()}
        )
    if not values.documents:
        problems.append(
            _("Attach the delivery documents: the delivery note, packing list or service record.")
        )
    stored, file_problems = _store_documents(values.documents, acting_user)
    problems.extend(file_problems)
    if problems:
        raise RulesBroken(problems)

    now = timezone.now()
    delivery = Delivery(
        contract=contract,
        stage=stage,
        declared_at=now,
        declared_by=acting_user,
        delivered_on=values.delivered_on,
        note=values.note.strip(),
    )
    delivery._history_user = acting_user
    delivery._change_reason = "declared"
    delivery.save()
    delivery.documents.set(stored)
    data = {
        "delivery": delivery.pk,
        "stage": stage.number if stage else None,
        "delivered_on": values.delivered_on,
        "documents": [f.sha256 for f in stored],
    }
    if contract.state == ContractState.DELIVERED:
        # A later stage after an earlier one passed: the contract is still being delivered.
        contract.delivered_at = now
        contract._history_user = acting_user
        contract._change_reason = "next stage delivered"
        contract.save()
        record_event(
            action="contracts.delivery.declared",
            actor=acting_user,
            organisation=contract.supplier,
            subject=contract,
            data={"state": contract.state, **data},
        )
    else:
        method = (
            contract.declare_delivery
            if contract.state == ContractState.SIGNED
            else contract.redeliver
        )
        transition(
            contract,
            method,
            acting_user=acting_user,
            reason="delivery declared",
            action="contracts.delivery.declared",
            organisation=contract.supplier,
            data=data,
            at=now,
        )
    # RULES.md §17 "履约验收一日成": the purchaser records acceptance by the end of the next
    # working day.
    start_clock(
        subject=delivery,
        kind=ACCEPTANCE,
        due=one_working_day_due(now),
        responsible=contract.purchaser,
        started=now,
    )
    from .acceptance_notices import ask_purchaser_to_accept

    ask_purchaser_to_accept(delivery)
    return delivery


# Acceptance -------------------------------------------------------------------------------


def acceptance_problems(contract: Contract, values: AcceptanceValues) -> list[str]:
    """Every rule the recorded acceptance breaks (rule 3 of the module)."""
    problems: list[str] = []
    if values.result not in AcceptanceResult.values:
        problems.append(_("Choose the result: passed, failed or partly passed."))
    if values.result != AcceptanceResult.PASSED and not values.reasons.strip():
        problems.append(_("Give the reasons why the acceptance did not pass."))
    checks = values.checks
    if not checks:
        problems.append(_("Record at least one item checked."))
    checked_items = {c.item_id for c in checks if c.item_id is not None}
    missing = [item.name for item in contract.items.all() if item.pk not in checked_items]
    if missing:
        problems.append(
            _(
                "Check every item of the contract; not checked: %(items)s "
                "(《中华人民共和国政府采购法实施条例》第四十五条)."
            )
            % {"items": "、".join(missing)}
        )
    if any(not c.what.strip() for c in checks):
        problems.append(_("Say what was checked on every line."))
    unexplained = [c.what for c in checks if not c.passed and not c.finding.strip()]
    if unexplained:
        problems.append(
            _("Say what was found where a check failed: %(what)s.")
            % {"what": "、".join(unexplained)}
        )
    failed = [c for c in checks if not c.passed]
    if values.result == AcceptanceResult.PASSED and failed:
        problems.append(_("A passed acceptance has every check passed."))
    if values.result == AcceptanceResult.FAILED and checks and not failed:
        problems.append(_("A failed acceptance has at least one check failed."))
    if values.result == AcceptanceResult.PARTLY and (not failed or len(failed) == len(checks)):
        problems.append(_("A partly passed acceptance has some checks passed and some failed."))

    people = values.participants
    if any(not p.name.strip() for p in people):
        problems.append(_("Give the name of every participant."))
    kinds = {p.kind for p in people if p.name.strip()}
    if ParticipantKind.PURCHASER not in kinds:
        problems.append(
            _(
                "Name at least one member of the purchaser's acceptance team: the members sign "
                "the report (《中华人民共和国政府采购法》第四十一条)."
            )
        )
    plan = getattr(contract, "acceptance_plan", None)
    if plan is not None:
        for flag, kind, message in PLAN_KINDS:
            if getattr(plan, flag) and kind not in kinds:
                problems.append(str(message))
        if plan.public_service:
            recipients = [p for p in people if p.kind == ParticipantKind.RECIPIENT]
            if not recipients or any(not p.opinion.strip() for p in recipients):
                problems.append(
                    _(
                        "A public service invites its recipients, who give their opinion: name "
                        "at least one and write each one's opinion "
                        "(《中华人民共和国政府采购法实施条例》第四十五条)."
                    )
                )
    return problems


def report_context(acceptance: Acceptance) -> dict[str, Any]:
    contract = acceptance.contract
    plan = getattr(contract, "acceptance_plan", None)
    return {
        "acceptance": acceptance,
        "contract": contract,
        "delivery": acceptance.delivery,
        "documents": list(acceptance.delivery.documents.all()),
        "stage": acceptance.stage,
        "stages": stages_of(contract),
        "plan": plan,
        "checks": list(acceptance.checks.select_related("item")),
        "participants": list(acceptance.participants.all()),
    }


def render_report_pdf(acceptance: Acceptance) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="contracts/pdf/acceptance.html", context=report_context(acceptance)
        )


def announcement_data(acceptance: Acceptance) -> dict[str, Any]:
    """The acceptance announcement (IR Art 45): the result, what was checked, who took part and
    the recipients' opinions; the supplier's bank account and the contract's secret parts are
    not in it."""
    contract = acceptance.contract
    return {
        "contract": {
            "number": contract.number,
            "title": contract.title,
            "amount": str(contract.amount),
        },
        "purchaser": {"name": contract.purchaser.name, "address": contract.purchaser.address},
        "supplier": {"name": contract.supplier.name, "address": contract.supplier.address},
        "project": {"code": contract.lot.project.code, "name": contract.lot.project.name},
        "lot": {"number": contract.lot.number, "name": contract.lot.name},
        "acceptance": {
            "stage": acceptance.stage.name if acceptance.stage else "",
            "result": acceptance.result,
            "result_label": str(acceptance.get_result_display()),
            "reasons": acceptance.reasons,
            "overall": acceptance.overall,
            "delivered_on": acceptance.delivery.delivered_on.isoformat(),
            "recorded_at": acceptance.recorded_at.isoformat(),
        },
        "checks": [
            {"what": c.what, "passed": c.passed, "finding": c.finding}
            for c in acceptance.checks.all()
        ],
        "participants": [
            {
                "kind": p.kind,
                "kind_label": str(p.get_kind_display()),
                "name": p.name,
                "organisation": p.organisation_name,
                "opinion": p.opinion,
            }
            for p in acceptance.participants.all()
        ],
    }


@transaction.atomic
def record_acceptance(
    *, delivery: Delivery, values: AcceptanceValues, password: str, acting_user
) -> Acceptance:
    """The purchaser records and signs the acceptance of a delivery (rules 3–7 of the module)."""
    check_password(acting_user, password)
    if not is_member(acting_user, delivery.contract.purchaser_id):
        raise PermissionDenied(ONLY_PURCHASER)
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("purchaser", "supplier", "lot", "lot__project")
        .get(pk=delivery.contract_id)
    )
    delivery = Delivery.objects.select_related("stage").get(pk=delivery.pk)
    if Acceptance.objects.filter(delivery=delivery).exists():
        raise InvalidTransition(ALREADY_RECORDED, code="already_recorded")
    if contract.state != ContractState.DELIVERED:
        raise InvalidTransition(
            _("The contract is not waiting for acceptance."), code="wrong_state"
        )
    if problems := acceptance_problems(contract, values):
        raise RulesBroken(problems)

    now = timezone.now()
    passed = values.result == AcceptanceResult.PASSED
    acceptance = Acceptance(
        contract=contract,
        delivery=delivery,
        stage=delivery.stage,
        result=values.result,
        reasons=values.reasons.strip(),
        overall=values.overall.strip(),
        recorded_at=now,
        recorded_by=acting_user,
        accepted_on=timezone.localdate(now) if passed else None,
    )
    acceptance._history_user = acting_user
    acceptance._change_reason = "recorded"
    acceptance.save()
    items = {item.pk: item for item in contract.items.all()}
    AcceptanceCheck.objects.bulk_create(
        AcceptanceCheck(
            acceptance=acceptance,
            item=items.get(c.item_id) if c.item_id is not None else None,
            what=c.what.strip(),
            passed=c.passed,
            finding=c.finding.strip(),
        )
        for c in values.checks
    )
    AcceptanceParticipant.objects.bulk_create(
        AcceptanceParticipant(
            acceptance=acceptance,
            kind=p.kind,
            name=p.name.strip(),
            organisation_name=p.organisation_name.strip(),
            opinion=p.opinion.strip(),
        )
        for p in values.participants
    )
    # The report, signed by the purchaser now (GPL Art 41; G-4).
    signature = add_signature(
        pdf=render_report_pdf(acceptance),
        target={"acceptance": acceptance},
        party=Party.PURCHASER,
        user=acting_user,
        organisation=contract.purchaser,
        name=f"{contract.number}-YS{acceptance.pk}",
        at=now,
    )
    acceptance.report_pdf = signature.signed_pdf
    final = passed and is_last_stage(stages_of(contract), delivery.stage)
    data = {
        "acceptance": acceptance.pk,
        "delivery": delivery.pk,
        "stage": delivery.stage.number if delivery.stage else None,
        "result": values.result,
        "sha256": signature.signed_sha256,
    }
    if final:
        transition(
            contract,
            contract.pass_acceptance,
            acting_user=acting_user,
            reason="acceptance passed",
            action="contracts.acceptance.passed",
            organisation=contract.purchaser,
            data=data,
            at=now,
        )
    elif not passed:
        transition(
            contract,
            contract.fail_acceptance,
            acting_user=acting_user,
            reason=f"acceptance {values.result}",
            action="contracts.acceptance.failed",
            organisation=contract.purchaser,
            data=data,
        )
    else:
        record_event(
            action="contracts.acceptance.stage_passed",
            actor=acting_user,
            organisation=contract.purchaser,
            subject=contract,
            data={"state": contract.state, **data},
        )
    plan = getattr(contract, "acceptance_plan", None)
    if plan is not None and plan.public_service:
        acceptance.announcement = publish_announcement(
            kind=AnnouncementKind.ACCEPTANCE,
            project=contract.lot.project,
            data=announcement_data(acceptance),
            acting_user=acting_user,
            organisation=contract.purchaser,
            lots=[contract.lot],
            lot=contract.lot,
            at=now,
            extra_search=f"{contract.number} {contract.supplier.name}",
        )
    acceptance._change_reason = "report signed by the purchaser"
    acceptance.save()
    record_event(
        action="contracts.acceptance.recorded",
        actor=acting_user,
        organisation=contract.purchaser,
        subject=acceptance,
        data={
            **data,
            "announcement": acceptance.announcement_id,
        },
    )
    meet_clock(subject=delivery, kind=ACCEPTANCE, at=now)
    from .acceptance_notices import tell_supplier_of_acceptance

    tell_supplier_of_acceptance(acceptance)
    if passed:
        acceptance_passed.send(
            sender=Acceptance, contract=contract, acceptance=acceptance, final=final
        )
    return acceptance


@transaction.atomic
def sign_acceptance_report(*, acceptance: Acceptance, password: str, acting_user) -> Acceptance:
    """The supplier countersigns the report the purchaser signed (G-4: signed by both parties)."""
    check_password(acting_user, password)
    contract = acceptance.contract
    if is_member(acting_user, contract.supplier_id):
        party = Party.SUPPLIER
    elif is_member(acting_user, contract.purchaser_id):
        party = Party.PURCHASER
    else:
        raise PermissionDenied(ONLY_PARTIES)
    acceptance = (
        Acceptance.objects.select_for_update(of=("self",))
        .select_related("contract", "contract__purchaser", "contract__supplier", "report_pdf")
        .get(pk=acceptance.pk)
    )
    if acceptance.signatures.filter(party=party).exists():
        raise InvalidTransition(ALREADY_SIGNED, code="already_signed")
    contract = acceptance.contract
    organisation = contract.purchaser if party == Party.PURCHASER else contract.supplier
    now = timezone.now()
    signature = add_signature(
        pdf=_current_report(acceptance),
        target={"acceptance": acceptance},
        party=party,
        user=acting_user,
        organisation=organisation,
        name=f"{contract.number}-YS{acceptance.pk}",
        at=now,
    )
    acceptance.report_pdf = signature.signed_pdf
    acceptance._history_user = acting_user
    acceptance._change_reason = f"report signed by the {party}"
    acceptance.save()
    record_event(
        action="contracts.acceptance.report_signed",
        actor=acting_user,
        organisation=organisation,
        subject=acceptance,
        data={"party": party, "sha256": signature.signed_sha256},
    )
    from .acceptance_notices import close_sign_report

    close_sign_report(acceptance)
    return acceptance


def _current_report(acceptance: Acceptance) -> bytes:
    """The newest signed revision of the report (the purchaser signed it when recording)."""
    if acceptance.report_pdf is None:
        return render_report_pdf(acceptance)
    with acceptance.report_pdf.file.open("rb") as f:
        return f.read()
