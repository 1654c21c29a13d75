"""The audit chain's head, checked and published (issues 16 §4, 17 §3), after every other stage.

What the nightly beat job does: check the chain (the first time all of it, then from the last
checkpoint) and publish the verified head on the portal (审计链链头, /audit/anchors/), so that the
bureau's chain-check page shows a result and the public page a head. Idempotent: nothing is
published again while the head has not moved.
"""

from __future__ import annotations

from audit.models import Anchor, Event
from audit.tasks import verify_audit_chain

from . import DemoContext


def run(ctx: DemoContext) -> None:
    head = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    published = Anchor.objects.order_by("-published", "-id").values_list("seq", flat=True).first()
    if head is None or head == published:
        return
    result = verify_audit_chain()
    ctx.say(f"audit chain checked ({result['count']} events) and its head #{head} published")
