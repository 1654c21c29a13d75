from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from audit.models import Event
from audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_seeding_leaves_one_seeded_event_and_an_intact_chain():
    call_command("seed_demo", stdout=StringIO())
    seeded = Event.objects.filter(action="accounts.demo.seeded")
    assert seeded.count() == 1
    call_command("seed_demo", stdout=StringIO())
    assert seeded.count() == 1
    assert seeded.get().subject_repr == "郑州市财政局"
    assert verify_chain().ok
