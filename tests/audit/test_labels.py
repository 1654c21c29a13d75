"""Every audit action the code records has a label, and the bureau's admin shows it in Chinese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.labels import action_label, labelled_actions, register_action_labels
from audit.models import ACTION_PATTERN
from audit.services import record_event

from .conftest import make_chain

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "static", "var", "locale"}


def _source_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
    ]


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text" constants (BREACHED_EVENT = "timers.clock.breached")."""
    names = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = node.value.value
    return names


def _codes(value: ast.expr, constants: dict[str, str], where: str) -> list[str]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.IfExp):
        return _codes(value.body, constants, where) + _codes(value.orelse, constants, where)
    if isinstance(value, ast.Name):
        # A module constant is checked; a variable passed along (action=action) is not a code.
        return [constants[value.id]] if value.id in constants else []
    if isinstance(value, ast.JoinedStr):
        pytest.fail(f"{where}: an action built with an f-string cannot be given a label")
    return []


def recorded_actions() -> dict[str, str]:
    """Each action code written as `action=...` in the project's code, with where it is."""
    found: dict[str, str] = {}
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        constants = _module_strings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                where = f"{path.relative_to(ROOT)}:{keyword.value.lineno}"
                for code in _codes(keyword.value, constants, where):
                    if ACTION_PATTERN.fullmatch(code):  # not argparse's action="store_true"
                        found.setdefault(code, where)
    return found


def test_the_scan_sees_the_actions_of_every_app():
    found = recorded_actions()
    # Literal, conditional, module constant, and one passed through notifications' _record().
    for code in (
        "procurement.lot.announced",
        "procurement.plan.resubmitted",
        "timers.clock.breached",
        "notifications.delivery.requeued",
        "bidding.opening.objection",
        "accounts.demo.seeded",
    ):
        assert code in found
    assert {code.split(".")[0] for code in found} >= {
        "accounts",
        "bidding",
        "notifications",
        "procurement",
        "suppliers",
        "timers",
        "workdays",
    }


def test_every_action_the_code_records_has_a_label():
    missing = {
        code: where for code, where in recorded_actions().items() if action_label(code) is None
    }
    assert not missing, f"register these in the app's audit_labels.py: {missing}"


def test_every_label_names_an_action_the_code_records():
    stale = labelled_actions() - set(recorded_actions())
    assert not stale, f"labels of actions nothing records any more: {sorted(stale)}"


def test_every_label_reads_in_chinese():
    with translation.override("zh-hans"):
        english = [
            code
            for code in labelled_actions()
            if not re.search(r"[\u4e00-\u9fff]", action_label(code) or "")
        ]
    assert not english


def test_a_code_keeps_one_label():
    register_action_labels({"procurement.lot.announced": "Lot announced"})  # the same: accepted
    with pytest.raises(ValueError, match="another label"):
        register_action_labels({"procurement.lot.announced": "Something else"})
    with pytest.raises(ValueError, match="not an audit action"):
        register_action_labels({"procurement.announced": "Announced"})
    assert action_label("procurement.lot.no_such_verb") is None


@pytest.mark.django_db
def test_the_admin_list_shows_label_and_code_with_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.bureau)
    url = reverse("admin:audit_event_changelist")
    org = cast.purchaser.memberships.get().organisation

    def queries() -> int:
        client.get(url)  # warm the per-process caches (content types, session)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_chain(cast, n=2)
    few = queries()
    make_chain(cast, n=10)
    for action in ("timers.clock.breached", "suppliers.bank_account.changed"):
        record_event(action=action, actor=None, organisation=org, subject=org)
    record_event(action="workdays.unlabelled.thing", actor=None, organisation=org)
    assert queries() == few

    body = client.get(url).content.decode()
    assert (
        '分包已发布公告<small class="nowrap">（procurement.<wbr>lot.<wbr>announced）</small>'
        in body
    )
    assert "期限已逾期（timers.<wbr>clock.<wbr>breached）" in body.replace(
        '<small class="nowrap">', ""
    )
    # An unknown code still shows, as its code alone.
    assert '<td class="field-action_name">workdays.<wbr>unlabelled.<wbr>thing</td>' in body
    # The filter offers each action by its label too.
    assert "·· 分包已发布公告（procurement.lot.announced）" in body
