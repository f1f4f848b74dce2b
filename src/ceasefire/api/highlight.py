"""Evidence highlighting: an article's untrusted text escaped piece by piece, with only our own
``<mark>`` elements wrapped around the evidence spans. The result is the one kind of markup the
templates accept from Python, and it is built here so that no ingested character is ever markup."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of an article's text to highlight, with the label shown when hovered."""

    start: int
    end: int
    label: str
    css: str = "evidence"


def _merge(marks: Iterable[Mark], length: int) -> list[Mark]:
    """Spans clamped to the text, sorted, overlapping ones merged (labels joined)."""
    clamped = sorted(
        (
            Mark(max(0, m.start), min(length, m.end), m.label, m.css)
            for m in marks
            if min(length, m.end) > max(0, m.start)
        ),
        key=lambda m: (m.start, -m.end),
    )
    merged: list[Mark] = []
    for mark in clamped:
        if merged and mark.start < merged[-1].end:
            last = merged[-1]
            known = mark.label in last.label.split("; ")
            labels = last.label if known else f"{last.label}; {mark.label}"
            merged[-1] = Mark(last.start, max(last.end, mark.end), labels, last.css)
        else:
            merged.append(mark)
    return merged


def highlight(text: str, marks: Iterable[Mark]) -> Markup:
    """``text`` escaped, with ``<mark>`` around each span; paragraphs kept by the template's
    ``white-space: pre-wrap``."""
    pieces: list[str] = []
    position = 0
    for mark in _merge(marks, len(text)):
        pieces.append(escape(text[position : mark.start]))
        pieces.append(
            Markup('<mark class="{css}" title="{label}">{body}</mark>').format(
                css=mark.css, label=mark.label, body=text[mark.start : mark.end]
            )
        )
        position = mark.end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)
