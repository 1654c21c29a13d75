"""The bureau's admin reads in Chinese on every page of the demo: each registered model's list,
add, change and history page, with the demo's data behind them."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import Organisation, User
from audit.models import Event
from audit.verify import verify_chain
from bidding.models import Bid
from demo.stages import DemoContext, stage_modules

pytestmark = pytest.mark.django_db

# Words of English a page may show: data, not labels (a PDF's producer, a file type, a hash).
ALLOWED = {"PDF", "SHA", "WPS Office", "Office", "JSON", "IP", "ID", "Django"}
ENGLISH = re.compile(r"(?<![\w.@/:#=-])[A-Z][a-z]+(?: [A-Za-z][a-z]+)*(?![\w.@/-])")


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media
    return demo_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The whole demo, seeded once for the module and rolled back after its last test."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=demo_media),
        transaction.atomic(),
    ):
        ctx = DemoContext()
        for module in stage_modules():
            module.run(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def bureau(demo) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="bureau"))
    return client


def visible_text(html: str) -> str:
    """What a reader sees or hears: text, titles, placeholders and labels, not scripts, the raw
    JSON of stored data (<pre>), the language menu or hidden values."""
    html = re.sub(r"(?s)<(script|style|textarea|pre)\b[^>]*>.*?</\1>", " ", html)
    html = re.sub(r'(?s)<select[^>]*name="language".*?</select>', " ", html)
    # A user's password summary shows its salt's first two characters ("salt: Ir********"),
    # random data that reads as a word one time in six.
    html = re.sub(r"[\w+/=$]*\*{4,}", " ", html)
    said = re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"&\w+;|&#\w+;", " ", html) + " " + " ".join(said)


def english_on(html: str) -> set[str]:
    return {w for w in ENGLISH.findall(visible_text(html)) if w not in ALLOWED}


def admin_pages(client: Client) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"admin:{info}_changelist"), reverse(f"admin:{info}_add")]
        obj = model._default_manager.order_by("-pk").first()
        if obj is not None:
            urls += [
                reverse(f"admin:{info}_change", args=[obj.pk]),
                reverse(f"admin:{info}_history", args=[obj.pk]),
            ]
    return urls


def test_every_admin_page_the_bureau_opens_reads_in_chinese(bureau):
    seen = 0
    problems = {}
    for url in admin_pages(bureau):
        response = bureau.get(url)
        if response.status_code in (403, 404):  # not the bureau's (axes, adding a bid…)
            continue
        assert response.status_code == 200, url
        seen += 1
        words = english_on(response.content.decode())
        if words:
            problems[url] = sorted(words)
    assert seen > 60  # lists, forms and histories of every app
    assert problems == {}


def test_the_admin_greets_the_supervisor_by_name_not_by_username(bureau):
    page = bureau.get(reverse("admin:index")).content.decode()
    assert "<strong>财政局监管员 刘敏</strong>" in page  # not "BUREAU" (the username in capitals)


def test_the_membership_inline_and_list_have_chinese_headings(bureau):
    org = Organisation.objects.get(name="平顶山市教育局")
    page = bureau.get(reverse("admin:accounts_organisation_change", args=[org.pk]))
    body = page.content.decode()
    inline = body[body.index('id="memberships-group"') :]
    inline = inline[: inline.index("</fieldset>")]
    headings = re.findall(r'<th class="column-[^"]*"[^>]*>\s*([^<]+?)\s*<', inline)
    assert "用户" in headings and "角色" in headings, headings
    assert "User" not in inline and "USER" not in inline
    # The "add another" link is made by the admin's script from the formset's options.
    formset = json.loads(html.unescape(re.search(r'data-inline-formset="([^"]+)"', body).group(1)))
    assert formset["options"]["addText"].startswith("添加另一个")
    assert "Add another" not in body
    listing = bureau.get(reverse("admin:accounts_membership_changelist")).content.decode()
    assert "用户" in listing and ">User<" not in listing and "Organisation" not in listing


def test_the_audit_list_says_why_its_count_differs_from_the_chain_checks(bureau):
    page = bureau.get(reverse("admin:audit_event_changelist")).content.decode()
    note = re.search(r'data-testid="audit-count-note">([^<]+)<', page).group(1)
    assert "密封" in note and "校验审计链" in note and "开标记录" in note
    # What it explains: events about the sealed bids are in the chain, not in the list.
    sealed = Bid.objects.sealed().count()
    assert sealed > 0
    listed = Event.objects.count() - sum(
        1
        for e in Event.objects.filter(subject_content_type__model="bid")
        if e.subject_object_id
        in {str(pk) for pk in Bid.objects.sealed().values_list("pk", flat=True)}
    )
    assert verify_chain().count == Event.objects.count() > listed
    check = bureau.get(reverse("admin:audit_event_verify")).content.decode()
    assert 'data-testid="verify-count-note"' in check and "密封" in check
