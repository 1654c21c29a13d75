"""Every notification kind the experts and evaluation apps send has its label in the one place
kinds are labelled (notifications.kinds), so the bureau's admin reads it in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from notifications.kinds import KIND_LABELS, kind_label

APPS = ["experts", "evaluation"]


def sent_kinds() -> list[str]:
    """The kinds with message templates (notifications/<kind>/) in the apps."""
    kinds = []
    for app in APPS:
        folder = Path(settings.BASE_DIR) / app / "templates" / "notifications"
        kinds += sorted(p.name for p in folder.iterdir() if p.is_dir())
    return kinds


def test_it_finds_the_kinds_the_apps_send():
    assert {"experts.invited", "evaluation.award_notice", "evaluation.scoring_due"} <= set(
        sent_kinds()
    )


@pytest.mark.parametrize("kind", sent_kinds())
def test_each_kind_sent_has_a_chinese_label(kind):
    assert kind in KIND_LABELS
    with translation.override("zh-hans"):
        label = kind_label(kind)
    assert label != kind and not label.isascii(), label
