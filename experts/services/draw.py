"""The random draw of experts for a lot's committee, and its replay (RULES.md §6.1).

A draw is replayable: its record holds every input of the pick, so anyone holding the record
and the seed gets the same experts with `replay(record)` (or `manage.py replay_draw`).

1. Candidates: active experts (their user active) whose specialties include the lot's catalogue
   category or one of its ancestors, not unavailable on the evaluation day (Beijing date), in
   canonical order: by expert id, ascending.
2. Excluded, each with its reasons (回避, IR Art 9; O87 Art 47; RULES.md D-2, D-5):
   - the employer is the purchaser (its staff sit only as its representative, O87 Art 47) or
     the agency of the project (O87 Art 47);
   - the employer is a bidder, or has the same legal representative as a bidder — only once the
     bidders are known (experts.bidders: after the opening; before it the bids are sealed, and
     the seats drawn are checked again at the opening's end, `recheck_after_opening`);
   - a relation the expert declared with the purchaser, the agency or a bidder (by organisation,
     unified social credit code or name), still relevant: within three years of its end for
     employment and office (IR Art 9(1)–(3)), always for family and other relations;
   - already invited to this committee (whatever the answer: a decline is not drawn again).
3. Eligible: the candidates not excluded, in the same order.
4. The seed: 32 random bytes from `secrets.token_hex`, stored with the record.
5. The pick: `random.Random(seed).sample(eligible, seats)` — the drawn, in the order drawn.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation
from procurement.models import Lot
from workdays.calendar import SHANGHAI

from ..bidders import bidders_of
from ..models import (
    Committee,
    DeclaredRelation,
    Draw,
    Expert,
    ExpertStatus,
    RelationKind,
    Unavailability,
)

if TYPE_CHECKING:
    from accounts.models import User

RECORD_VERSION = 1
# A past employment or office counts within three years of its end (IR Art 9(1)–(3)).
LOOKBACK_YEARS = 3
ENDING_RELATIONS = {RelationKind.EMPLOYMENT, RelationKind.OFFICER}

PURPOSE_SEATS = "seats"
PURPOSE_REPLACEMENT = "replacement"
PURPOSE_LEADER = "leader"


@dataclass(frozen=True)
class Reason:
    code: str  # employer_purchaser, employer_agency, employer_bidder, same_legal_representative,
    # declared_relation, already_invited
    text: str  # in the site's language, as the record keeps it

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass
class Pool:
    """The inputs of a draw: candidates in canonical order, the excluded with their reasons."""

    candidates: list[int]
    excluded: dict[int, list[Reason]]
    unavailable: list[int]
    bidders_known: bool
    codes: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> list[int]:
        return [pk for pk in self.candidates if pk not in self.excluded]


# Reading the people concerned ------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """An organisation an expert must not be tied to: the purchaser, the agency, a bidder."""

    role: str  # purchaser, agency, bidder
    organisation: Organisation


def parties_of(lot: Lot, bidders: Iterable[Organisation] | None) -> list[Party]:
    project = lot.project
    parties = [Party("purchaser", project.purchaser)]
    if project.agency is not None:
        parties.append(Party("agency", project.agency))
    parties += [Party("bidder", org) for org in bidders or []]
    return parties


def _norm(text: str | None) -> str:
    return "".join((text or "").split()).upper()


def _relation_relevant(relation: DeclaredRelation, day: dt.date) -> bool:
    if relation.until is None or relation.kind not in ENDING_RELATIONS:
        return True
    try:
        limit = day.replace(year=day.year - LOOKBACK_YEARS)
    except ValueError:  # 29 February
        limit = day.replace(year=day.year - LOOKBACK_YEARS, day=28)
    return relation.until >= limit


def _relation_matches(relation: DeclaredRelation, organisation: Organisation) -> bool:
    if relation.organisation_id is not None and relation.organisation_id == organisation.pk:
        return True
    if relation.uscc and _norm(relation.uscc) == _norm(organisation.uscc):
        return True
    return bool(relation.name) and _norm(relation.name) == _norm(organisation.name)


def conflicts_of(expert: Expert, parties: Sequence[Party], *, day: dt.date) -> list[Reason]:
    """Why `expert` may not sit for these parties (empty: no conflict found). Reads the prefetched
    `user.employer` and `relations`; texts in the site's language."""
    reasons: list[Reason] = []
    employer = expert.user.employer
    with translation.override(settings.LANGUAGE_CODE):
        for party in parties:
            org = party.organisation
            if employer is not None and employer.pk == org.pk:
                code = f"employer_{party.role}"
                if party.role == "purchaser":
                    text = _(
                        "Works for the purchaser %(name)s: its staff sit only as its "
                        "representative (O87 Art 47)"
                    )
                elif party.role == "agency":
                    text = _(
                        "Works for the agency %(name)s, which runs this procurement (O87 Art 47)"
                    )
                else:
                    text = _("Works for the bidder %(name)s (IR Art 9)")
                reasons.append(Reason(code, text % {"name": org.name}))
            elif (
                party.role == "bidder"
                and employer is not None
                and _norm(employer.legal_representative)
                and _norm(employer.legal_representative) == _norm(org.legal_representative)
            ):
                reasons.append(
                    Reason(
                        "same_legal_representative",
                        _(
                            "The employer %(employer)s has the same legal representative as the "
                            "bidder %(name)s (IR Art 9(5))"
                        )
                        % {"employer": employer.name, "name": org.name},
                    )
                )
            for relation in expert.relations.all():
                if _relation_matches(relation, org) and _relation_relevant(relation, day):
                    reasons.append(
                        Reason(
                            "declared_relation",
                            _("Declared relation with %(name)s: %(kind)s (IR Art 9)")
                            % {"name": org.name, "kind": relation.get_kind_display()},
                        )
                    )
    return reasons


def evaluation_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, SHANGHAI).date()


def build_pool(*, committee: Committee, lot: Lot) -> Pool:
    """Candidates and exclusions for a draw on `committee` now (see the module's steps 1–3)."""

    if lot.category is None:
        return Pool(candidates=[], excluded={}, unavailable=[], bidders_known=False)
    day = evaluation_day(committee.evaluation_at)
    lineage = lot.category.lineage()
    matching = Expert.objects.filter(
        status=ExpertStatus.ACTIVE,
        user__is_active=True,
        specialties__in=[c.pk for c in lineage],
    ).distinct()
    unavailable_ids = set(
        Unavailability.objects.filter(start__lte=day, end__gte=day).values_list(
            "expert_id", flat=True
        )
    )
    experts = list(
        matching.exclude(pk__in=unavailable_ids)
        .select_related("user", "user__employer")
        .prefetch_related("relations")
        .order_by("pk")
    )
    bidders = bidders_of(lot)
    parties = parties_of(lot, bidders)
    seated_before = (
        set(committee.members.values_list("user_id", flat=True)) if committee.pk else set()
    )
    excluded: dict[int, list[Reason]] = {}
    for expert in experts:
        reasons = conflicts_of(expert, parties, day=day)
        if expert.user_id in seated_before:
            with translation.override(settings.LANGUAGE_CODE):
                reasons.append(Reason("already_invited", _("Already invited to this committee")))
        if reasons:
            excluded[expert.pk] = reasons
    return Pool(
        candidates=[e.pk for e in experts],
        excluded=excluded,
        unavailable=sorted(unavailable_ids & set(matching.values_list("pk", flat=True))),
        bidders_known=bidders is not None,
        codes=[c.code for c in lineage],
    )


# The pick and its replay ----------------------------------------------------------------------


def new_seed() -> str:
    return secrets.token_hex(32)


def pick(eligible: Sequence[int], seats: int, seed: str) -> list[int]:
    """Step 5: `seats` of the eligible (canonical order), drawn with a generator seeded by `seed`."""
    return random.Random(seed).sample(list(eligible), seats)


def make_record(
    *, pool: Pool, seats: int, drawn: list[int], purpose: str, lot: Lot, committee: Committee
) -> dict[str, Any]:
    return {
        "version": RECORD_VERSION,
        "purpose": purpose,
        "lot": lot.pk,
        "category_codes": pool.codes,
        "evaluation_day": evaluation_day(committee.evaluation_at).isoformat(),
        "bidders_checked": pool.bidders_known,
        "candidates": pool.candidates,
        "unavailable": pool.unavailable,
        "excluded": [
            {"expert": pk, "reasons": [r.as_dict() for r in pool.excluded[pk]]}
            for pk in pool.candidates
            if pk in pool.excluded
        ],
        "eligible": pool.eligible,
        "seats": seats,
        "drawn": drawn,
        "algorithm": "random.Random(seed).sample(eligible, seats)",
    }


@dataclass
class Replay:
    drawn: list[int]  # what the record says was drawn
    replayed: list[int]  # what the seed gives again
    problems: list[str]

    @property
    def matches(self) -> bool:
        return not self.problems and self.drawn == self.replayed


def replay(draw: Draw | Mapping[str, Any]) -> Replay:
    """Draw again from a draw's record and seed (a Draw, or {"seed": …, "record": …} as the
    draw's JSON export gives it): the same experts if the record is intact."""
    if isinstance(draw, Draw):
        seed, record = draw.seed, draw.record
    else:
        seed, record = str(draw["seed"]), dict(draw["record"])
    problems: list[str] = []
    candidates = [int(pk) for pk in record.get("candidates", [])]
    excluded = {int(row["expert"]) for row in record.get("excluded", [])}
    eligible = [int(pk) for pk in record.get("eligible", [])]
    if eligible != [pk for pk in candidates if pk not in excluded]:
        problems.append("eligible is not the candidates less the excluded, in their order")
    seats = int(record.get("seats", 0))
    drawn = [int(pk) for pk in record.get("drawn", [])]
    try:
        replayed = pick(eligible, seats, seed)
    except ValueError:
        replayed = []
        problems.append("fewer eligible experts than seats")
    return Replay(drawn=drawn, replayed=replayed, problems=problems)


def export(draw: Draw) -> dict[str, Any]:
    """The draw as a JSON document that `replay` and `manage.py replay_draw --file` read."""
    return {
        "draw": draw.pk,
        "committee": draw.committee_id,
        "number": draw.number,
        "at": draw.at.isoformat(),
        "seed": draw.seed,
        "record": draw.record,
    }


def record_draw(
    *,
    committee: Committee,
    lot: Lot,
    pool: Pool,
    seats: int,
    purpose: str,
    acting_user: User | None,
    at: dt.datetime,
    seed: str | None = None,
) -> tuple[Draw, list[int]]:
    """Pick `seats` from the pool and store the draw (numbered after the committee's last)."""
    seed = seed or new_seed()
    drawn = pick(pool.eligible, seats, seed)
    last = committee.draws.order_by("-number").values_list("number", flat=True).first() or 0
    draw = Draw.objects.create(
        committee=committee,
        number=last + 1,
        at=at,
        by=acting_user,
        seats=seats,
        seed=seed,
        record=make_record(
            pool=pool, seats=seats, drawn=drawn, purpose=purpose, lot=lot, committee=committee
        ),
    )
    return draw, drawn
