"""Fill empty English msgstr entries of the .po catalogue from scripts/glossary_en.json.

Usage: python scripts/fill_po.py  (after `shuangjian makemessages -l en`). Prints the msgids that
still have no translation so they can be added to the glossary.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/shuangjian/locale/en/LC_MESSAGES/django.po"
GLOSSARY = ROOT / "scripts/glossary_en.json"


def main() -> int:
    glossary = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    text = PO.read_text(encoding="utf-8")
    missing = []

    def fill(match: re.Match) -> str:
        msgid = match.group(1)
        if msgid in glossary:
            return f'msgid "{msgid}"\nmsgstr "{glossary[msgid]}"'
        if msgid:
            missing.append(msgid)
        return match.group(0)

    text = re.sub(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr ""(?!\n")', fill, text)
    text = text.replace("#, fuzzy\n", "", 1)
    PO.write_text(text, encoding="utf-8")
    for m in missing:
        print(m)
    print(f"{len(missing)} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
