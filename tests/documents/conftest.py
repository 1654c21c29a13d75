from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores files in its own empty MEDIA_ROOT, so leftovers can be counted."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def files_on_disk(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())
