from __future__ import annotations

import pytest

from portal.caching import forget_fragments


@pytest.fixture(autouse=True)
def _fresh_portal_cache():
    """Each test starts without cached home fragments (the cache may be a shared Redis)."""
    forget_fragments()
    yield
    forget_fragments()
