"""Fill empty or fuzzy translations of a .po file from a JSON mapping {msgid: msgstr}.

    .venv/bin/python scripts/po_fill.py accounts/locale/zh_Hans/LC_MESSAGES/django.po tr.json
Prints the msgids still untranslated, so nothing is missed silently.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def main() -> None:
    po = polib.pofile(sys.argv[1], wrapwidth=100)
    mapping: dict[str, str] = (
        json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")) if len(sys.argv) > 2 else {}
    )
    for entry in po:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    for entry in po.untranslated_entries() + po.fuzzy_entries():
        print("untranslated:", json.dumps(entry.msgid, ensure_ascii=False))


if __name__ == "__main__":
    main()
