"""Markdown to plain lines, line for line, so the plain-text cleaner can read it."""

from __future__ import annotations

import re

_RULES = (
    (re.compile(r"^\s{0,3}#{1,6}\s+"), ""),  # headings
    (re.compile(r"^\s{0,3}>\s?"), ""),  # block quotes
    (re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s+"), "• "),  # list items keep a bullet
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
    (re.compile(r"^\s{0,3}([-*_]\s*){3,}$"), ""),  # rules
)


def markdown_to_text(markdown: str) -> str:
    lines = []
    for line in markdown.splitlines():
        for pattern, replacement in _RULES:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return "\n".join(lines)
