"""Demo data, one module per stage, run in name order (s10_…, s20_…); each is idempotent.

A stage module defines `run(ctx: DemoContext) -> None`; later stages read what earlier ones made
from `ctx` (e.g. `ctx.orgs["purchaser1"]`, `ctx.users["supplier1"]`).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "Yangguang2026!"  # noqa: S105 - documented demo password (README)


@dataclass
class DemoContext:
    orgs: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


def stage_modules() -> list[Any]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("s"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
