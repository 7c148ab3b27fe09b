"""Every Dutch text has its English translation, and the compiled catalogue (.mo) says what the .po says.

``makemessages`` marks a new text that resembles an old one as *fuzzy* with the old translation ("actie" got
"active"); gettext ignores fuzzy entries, so the English page would show Dutch. And a .po edited without
``compilemessages`` leaves the .mo behind. Both are caught here, for both Django projects, without Django:
the .mo is read with the standard library's gettext.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "inleg"
CATALOGUES = [SRC / "platform" / "locale" / "en" / "LC_MESSAGES", SRC / "sandbox" / "locale" / "en" / "LC_MESSAGES"]


def _string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def entries(po: Path) -> list[tuple[list[str], str, str]]:
    """(flags, msgid, msgstr) of every simple entry; plural and context entries are left to gettext itself."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = [flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")]
        starts = ("msgid ", "msgstr ", "msgctxt ", "msgid_plural ")
        keys = [i for i, line in enumerate(lines) if line.startswith(starts)]
        if any(lines[i].startswith(("msgctxt", "msgid_plural")) for i in keys) or len(keys) != 2:
            continue
        msgid = _string([lines[keys[0]][6:], *lines[keys[0] + 1 : keys[1]]])
        msgstr = _string([lines[keys[1]][7:], *lines[keys[1] + 1 :]])
        if msgid:
            found.append((flags, msgid, msgstr))
    return found


def unfinished(po: Path) -> list[str]:
    """Every entry, plural forms included, that is fuzzy or has an empty translation (obsolete ``#~`` ones aside)."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n")[1:]:  # the first is the header
        live = "\n".join(line for line in block.splitlines() if not line.startswith("#~"))
        if "msgid" not in live:
            continue
        texts = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', live, re.M)
        if "#, fuzzy" in live or not texts or any("".join(re.findall(r'"(.*)"', t)) == "" for t in texts):
            found.append(live)
    return found


@pytest.mark.parametrize("folder", CATALOGUES, ids=lambda p: p.parts[-4])
def test_every_text_is_translated_and_none_is_fuzzy(folder: Path) -> None:
    assert len(entries(folder / "django.po")) > 50
    assert unfinished(folder / "django.po") == []


@pytest.mark.parametrize("folder", CATALOGUES, ids=lambda p: p.parts[-4])
def test_the_compiled_catalogue_says_what_the_po_says(folder: Path) -> None:
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [msgid for _, msgid, msgstr in entries(folder / "django.po") if compiled.gettext(msgid) != msgstr]
    assert stale == [], "run compilemessages"


@pytest.mark.parametrize("project", ["platform", "sandbox"])
def test_every_marked_text_is_in_the_catalogue(project: str, tmp_path: Path) -> None:
    """makemessages over a copy of the project finds no text the catalogue lacks (a text marked but never added)."""
    copy = tmp_path / project
    shutil.copytree(SRC / project, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {**os.environ, "PLATFORM_DEBUG": "1", "DJANGO_SETTINGS_MODULE": f"inleg.{project}.settings"}
    admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(admin), "makemessages", "-l", "en", "--no-location", "--no-obsolete"],
        cwd=copy, env=env, check=True, capture_output=True,
    )  # fmt: skip
    ours = {msgid for _, msgid, _ in entries(SRC / project / "locale/en/LC_MESSAGES/django.po")}
    found = {msgid for _, msgid, _ in entries(copy / "locale/en/LC_MESSAGES/django.po")}
    assert sorted(found - ours) == [], "run makemessages -l en and translate the new texts"
