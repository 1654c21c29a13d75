"""One audit event that says the demo was seeded, so the audit log is never empty in the demo."""

from __future__ import annotations

from accounts.models import Organisation, User
from audit.models import Event
from audit.services import record_event

from . import DemoContext

SEEDED = "accounts.demo.seeded"


def run(ctx: DemoContext) -> None:
    if Event.objects.filter(action=SEEDED).exists():
        return
    bureau = ctx.orgs.get("bureau")
    record_event(
        action=SEEDED,
        actor=None,
        organisation=bureau,
        subject=bureau,
        data={
            "organisations": Organisation.objects.count(),
            "users": User.objects.count(),
            "note": "demo data (manage.py seed_demo)",
        },
    )
    ctx.say("Audit log: recorded accounts.demo.seeded; check it with manage.py verify_audit")
