"""Bidding demo (issue 5 §8): one lot whose online opening is in progress, one already opened.

Bids are sealed through the real service with the documented demo passphrases (README, demo
section), so a visitor can sign in as a supplier and decrypt. Idempotent: each scenario is keyed
by its intention's project name and skipped when it exists.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bidding.models import Bid, BidState
from bidding.services import (
    Evidence,
    decrypt_bid,
    render_opening_record_pdf,
    set_opening_rules,
    submit_bid,
)
from procurement import services
from procurement.models import Lot, SmeMode
from procurement.services.projects import LOT_FIELDS
from suppliers.selectors import supplier_profile
from suppliers.sme import prefill

from . import DemoContext
from .s50_procurement import _add_documents, _file, _intention, _lot_values, _plan

# Documented in the README's demo section.
PASSPHRASES = {
    "supplier": "huaxin-demo-2026",
    "supplier2": "lvyuan-demo-2026",
    "supplier3": "xiaohe-demo-2026",
}
PRICES = {
    "进行中": {"supplier": "412800.00", "supplier2": "398000.00", "supplier3": "405500.00"},
    "已开标": {"supplier": "1268000.00", "supplier2": "1239000.00", "supplier3": "1251500.00"},
}


def _pdf(author: str, title: str) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": author, "/Title": title, "/Creator": "WPS Office"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _lot(ctx, name: str, lot_name: str, budget: str, *, window: int) -> Lot | None:
    intention = _intention(
        ctx, "purchaser1", "purchaser", name, f"{lot_name}一批。", budget, days_ago=70
    )
    if intention is None:
        return None
    user = ctx.users["purchaser"]
    plan = _plan(
        ctx,
        "purchaser",
        intention,
        method="public_tender",
        kind="goods",
        sme_mode=SmeMode.NONE,
        lots=[(lot_name, "goods", budget, False)],
        reasons="市场竞争充分，不预留。",
    )
    _file(ctx, "purchaser", plan)
    project = services.create_project(plan=plan, acting_user=user)
    _add_documents(ctx, user, project)
    lot = project.lots.get()
    now = timezone.now()
    values = _lot_values(
        lot,
        now + dt.timedelta(minutes=5),
        weight="30",
        criteria=[("技术方案", "50", ""), ("售后服务", "20", "")],
    )
    for field in LOT_FIELDS:
        setattr(lot, field, getattr(values, field))
    lot.decryption_window_minutes = window
    lot.save()
    for i, c in enumerate(values.criteria, start=1):
        lot.criteria.create(position=i, name=c.name, points=c.points, description=c.description)
    lot.announce(at=now - dt.timedelta(days=25))
    lot._history_user = user
    lot.save()
    # The tender documents allow a re-upload within an hour should the platform fail to
    # decrypt a bid whose key is right (RULES.md C-5).
    set_opening_rules(lot=lot, reupload=True, window_minutes=60, acting_user=user)
    return lot


def _letter(organisation, lot: Lot) -> list[dict]:
    """The SME letter as the bid form prefills it: the supplier's own line, from its profile."""
    line = prefill(organisation=organisation, profile=supplier_profile(organisation), item=lot.name)
    if not line:
        return []
    # The goods are made by a second, small manufacturer too: a letter of two lines.
    return [
        line,
        {
            "item": f"{lot.name}配套软件",
            "manufacturer": "郑州启明软件有限公司",
            "size_class": "small",
            "industry": "software",
            "employees": 46,
            "revenue": "880.00",
            "total_assets": "410.00",
        },
    ]


def _bid_and_close(ctx, lot: Lot, prices: dict[str, str]) -> list[Bid]:
    bids = []
    for n, (key, price) in enumerate(prices.items(), start=1):
        organisation = ctx.users[key].memberships.first().organisation
        bids.append(
            submit_bid(
                lot=lot,
                price=Decimal(price),
                files=[_pdf(author=ctx.users[key].full_name, title=f"{organisation.name}投标文件")],
                sme_items=_letter(organisation, lot),
                passphrase=PASSPHRASES[key],
                evidence=Evidence(
                    ip_address=f"10.20.0.{n}", device_id=f"demo-device-{n}", user_agent="demo"
                ),
                acting_user=ctx.users[key],
            )
        )
    # The deadline passes now: the lot closes and the opening starts (lot_closed signal).
    now = timezone.now()
    lot.bid_deadline = now
    lot.save()
    services.close_lot(lot_id=lot.pk, at=now)
    return bids


def run(ctx: DemoContext) -> None:
    in_progress = _lot(
        ctx, "市第三中学实验室设备采购项目", "理化生实验室设备", "450000.00", window=240
    )
    if in_progress is not None:
        bids = _bid_and_close(ctx, in_progress, PRICES["进行中"])
        decrypt_bid(
            bid=bids[0], passphrase=PASSPHRASES["supplier"], acting_user=ctx.users["supplier"]
        )
        ctx.say(
            f"bidding: lot {in_progress.pk} opening in progress (4-hour window); supplier has "
            "decrypted, supplier2 and supplier3 can decrypt with their demo passphrases"
        )
    opened = _lot(ctx, "市图书馆自助借还设备采购项目", "自助借还设备", "1300000.00", window=30)
    if opened is not None:
        bids = _bid_and_close(ctx, opened, PRICES["已开标"])
        for key, bid in zip(PASSPHRASES, bids, strict=True):
            decrypt_bid(bid=bid, passphrase=PASSPHRASES[key], acting_user=ctx.users[key])
        opening = opened.opening
        render_opening_record_pdf(opening_id=opening.pk)
        ctx.say(f"bidding: lot {opened.pk} opened, record published")
    ctx.say(
        f"bidding: {Bid.objects.filter(state=BidState.DECRYPTED).count()} decrypted bids, "
        f"{Bid.objects.filter(state=BidState.SUBMITTED).count()} sealed"
    )
