"""Links to pages that a higher app serves, registered by it (DESIGN.md, "Apps and layers").

A lower app names a page it does not own by a key: procurement's notice links to the public
page the portal serves (``"public_announcement"``), its public lot page to the bid form bidding
serves (``"bid_form"``). The app that owns the page registers the function that builds the
address in its ``AppConfig.ready()``::

    register_link("public_announcement", lambda pk: reverse(<the owner's URL name>, args=[pk]))

so the lower app never imports, reverses or names the higher one. Without a registration (the
app is not installed) ``link()`` returns "", and the page shows no link.
"""

from __future__ import annotations

from collections.abc import Callable

_links: dict[str, Callable[..., str]] = {}


def register_link(name: str, build: Callable[..., str]) -> None:
    """Declare how to build the address of page `name`; registering again replaces it."""
    _links[name] = build


def link(name: str, *args: object) -> str:
    """The address of page `name` for `args`, or "" when no app serves it."""
    build = _links.get(name)
    return build(*args) if build is not None else ""
