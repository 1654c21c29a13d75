from __future__ import annotations

import pytest

from audit.models import Event
from audit.verify import verify_chain
from demo.stages import DemoContext, s10_accounts, s12_audit

pytestmark = pytest.mark.django_db


def seed() -> None:
    ctx = DemoContext()
    s10_accounts.run(ctx)
    s12_audit.run(ctx)


def test_seeding_leaves_one_seeded_event_and_an_intact_chain():
    seed()
    seeded = Event.objects.filter(action="accounts.demo.seeded")
    assert seeded.count() == 1
    seed()  # idempotent
    assert seeded.count() == 1
    event = seeded.get()
    assert event.subject_repr == "平顶山市财政局"
    assert event.organisation.name == "平顶山市财政局"
    assert verify_chain().ok


def test_the_seed_demo_command_runs_the_audit_stage():
    from demo.stages import stage_modules

    assert s12_audit in stage_modules()
