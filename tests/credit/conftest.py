from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores its files and its signing keys in its own folders."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"
    return root
