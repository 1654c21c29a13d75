"""Every object URL of the contracts app is in a "every other role is refused" test.

The refusal tests (test_pages, test_acceptance_pages, test_payment_pages) list the URLs they
try for each role that is not a party; a URL added to the app without being added there fails
here, so no page is reachable by another role unnoticed.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, get_resolver

REFUSAL_TESTS = ["test_pages.py", "test_acceptance_pages.py", "test_payment_pages.py"]


def object_url_names() -> set[str]:
    namespace = get_resolver().namespace_dict["contracts"][1]
    return {
        pattern.name
        for pattern in namespace.url_patterns
        if isinstance(pattern, URLPattern) and pattern.name and "<int:" in str(pattern.pattern)
    }


def test_every_object_url_is_tried_by_every_other_role():
    here = Path(__file__).parent
    tried = set()
    for name in REFUSAL_TESTS:
        tried |= set(re.findall(r"contracts:([a-z_]+)", (here / name).read_text(encoding="utf-8")))
    missing = object_url_names() - tried
    assert object_url_names(), "the contracts URLs were not found"
    assert not missing, f"object URLs no refusal test tries: {sorted(missing)}"
