"""A ``---`` header of ``key: value`` lines at the top of a text or Markdown file.

Archiving scrapers often write what they know about a page (outlet, URL, date) in such a header.
Only simple ``key: value`` lines are read; anything else means the block is not front matter.
"""

from __future__ import annotations

import re

KEYS = frozenset({"title", "source", "url", "published", "author"})
_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
_MAX_LINES = 30


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``(fields, text)`` with the header blanked out, so offsets into the text stay valid."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1 : _MAX_LINES + 1], start=1):
        if line.strip() == "---":
            blank = "".join("\n" * line.endswith("\n") for line in lines[: number + 1])
            return fields, blank + "".join(lines[number + 1 :])
        match = _LINE.match(line.strip())
        if not line.strip():
            continue
        if match is None:
            return {}, text
        key = match["key"].lower()
        value = match["value"].strip().strip("\"'")
        if key in KEYS and value:
            fields[key] = value
    return {}, text
