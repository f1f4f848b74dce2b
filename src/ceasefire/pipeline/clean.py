"""Plain-text page cleaner: find the stories on a scraped page and keep only their text.

A page is read as lines (see :mod:`ceasefire.pipeline.lines`). Stories start at a headline that is
repeated or followed by a "Published ..." line; each story keeps its title, its date, its body
paragraphs and, apart, its photo captions. Navigation, share, comment and publisher lines, headline
repeats, teasers and pull quotes that repeat the body, subheadings and related-story links go.
Nothing is rewritten: every kept paragraph is a line of the source, whitespace-normalised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ceasefire.domain import PublishedDate
from ceasefire.pipeline.dates import parse_date_line
from ceasefire.pipeline.lines import (
    CLOSERS,
    DATELINE,
    Line,
    LineKind,
    comparable,
    shingles,
    split_lines,
    strip_credit,
)

STAGE = "clean"
VERSION = "1"

_HEADER_REPEAT_WINDOW = 8  # non-blank lines within which a headline is repeated
_HEADER_DATE_WINDOW = 4  # non-blank lines within which a headline is followed by its date
_REPEAT_COVERAGE = 0.8  # share of a line's word 3-grams found elsewhere to call it a repeat
_REPEAT_MIN_SHINGLES = 4
_LEAD_WINDOW = 6  # content lines after the title where a dateline lead may start


@dataclass(frozen=True, slots=True)
class Story:
    title: str | None
    published: PublishedDate | None
    paragraphs: tuple[Line, ...]
    captions: tuple[str, ...]
    removed: tuple[tuple[Line, str], ...]

    @property
    def text(self) -> str:
        return "\n\n".join(line.text for line in self.paragraphs)


def _is_header_candidate(line: Line) -> bool:
    if line.kind is LineKind.SHORT:
        return 2 <= line.words <= 30 and not line.text.endswith(":")
    return line.kind is LineKind.SENTENCE and line.words <= 20 and line.text.endswith("?")


def _find_headers(lines: Sequence[Line]) -> list[int]:
    """Indices of lines that open a story: a headline repeated soon after, or followed by a date."""
    content = [line for line in lines if line.kind is not LineKind.BLANK]
    headers: list[int] = []
    repeats: set[int] = set()
    for pos, line in enumerate(content):
        if line.index in repeats or not _is_header_candidate(line):
            continue
        key = comparable(line.text)
        window = content[pos + 1 : pos + 1 + _HEADER_REPEAT_WINDOW]
        again = [other.index for other in window if comparable(other.text) == key]
        dated = False
        for other in content[pos + 1 : pos + 1 + _HEADER_DATE_WINDOW]:
            if other.kind is LineKind.DATE:
                dated = True
                break
            if other.kind not in (LineKind.CAPTION, LineKind.BOILERPLATE):
                break
        if again or dated:
            headers.append(line.index)
            repeats.update(again)
    return headers


def _fallback_title(lines: Sequence[Line]) -> Line | None:
    """The last non-sentence line before the first body line, as on most article pages."""
    title: Line | None = None
    for line in lines:
        if line.kind in (LineKind.SENTENCE, LineKind.CAPTION):
            break
        if line.kind is LineKind.SHORT and _is_header_candidate(line):
            title = line
    return title


def _coverage(line_shingles: set[tuple[str, ...]], counts: Counter[tuple[str, ...]]) -> float:
    covered = sum(1 for s in line_shingles if counts[s] > 1)
    return covered / len(line_shingles)


def _is_summary(line: Line, grams: dict[int, set[tuple[str, ...]]]) -> bool:
    """A teaser: cut off with an ellipsis, or made of pieces of two or more other lines."""
    if line.text.rstrip(CLOSERS).endswith(("…", "...")):
        return True
    own = grams[line.index]
    sources = sum(
        1
        for index, other in grams.items()
        if index != line.index and len(own & other) >= max(2, len(own) // 4)
    )
    return sources >= 2


def _find_repeats(lines: Sequence[Line]) -> set[int]:
    """Lines whose words mostly appear in other lines: teasers, standfirsts, pull quotes.

    Repeats are removed one at a time: teasers first (cut off, or pieced together from several
    lines), then the most covered line (a bulleted one before body text, then the longer, then the
    earlier), each removal updating what the others are compared with, so one copy always stays.
    """
    grams = {line.index: shingles(line.text) for line in lines}
    counts: Counter[tuple[str, ...]] = Counter()
    for gram_set in grams.values():
        counts.update(gram_set)
    summaries = {line.index for line in lines if _is_summary(line, grams)}
    removed: set[int] = set()
    while True:
        best: tuple[int, float, int, int, int] | None = None
        for line in lines:
            gram_set = grams[line.index]
            if line.index in removed or len(gram_set) < _REPEAT_MIN_SHINGLES:
                continue
            cover = _coverage(gram_set, counts)
            if cover >= _REPEAT_COVERAGE:
                key = (
                    -int(line.index in summaries),
                    -cover,
                    -int(line.bullet),
                    -len(gram_set),
                    line.index,
                )
                if best is None or key < best:
                    best = key
        if best is None:
            return removed
        removed.add(best[4])
        counts.subtract(grams[best[4]])


def _clean_story(lines: Sequence[Line], title: Line | None) -> Story:
    removed: list[tuple[Line, str]] = []
    title_key = comparable(title.text) if title else None
    dates: dict[str, PublishedDate] = {}
    captions: list[str] = []
    body: list[Line] = []
    ended = False
    before_title = title is not None
    for line in lines:
        if line is title:
            before_title = False
            continue
        if line.kind is LineKind.BLANK:
            continue
        if before_title:
            boilerplate = line.kind in (LineKind.BOILERPLATE, LineKind.END)
            why = "navigation or publisher boilerplate" if boilerplate else "page header"
            removed.append((line, f"{why} before the headline"))
        elif ended:
            removed.append((line, "after the end of the story"))
        elif line.kind is LineKind.END:
            ended = True
            removed.append((line, "end of story marker"))
        elif line.kind is LineKind.BOILERPLATE:
            removed.append((line, "navigation or publisher boilerplate"))
        elif line.kind is LineKind.DATE:
            label, published = parse_date_line(line.text) or ("", None)
            if published is not None:
                dates.setdefault(label, published)
            removed.append((line, "publication date line"))
        elif title_key is not None and comparable(line.text) == title_key:
            removed.append((line, "headline repeat"))
        elif line.kind is LineKind.CAPTION:
            captions.append(strip_credit(line.text))
            removed.append((line, "photo caption"))
        else:
            body.append(line)

    caption_keys = [comparable(c) for c in captions]
    kept: list[Line] = []
    for line in body:
        key = comparable(line.text)
        if key and any(key in c for c in caption_keys):
            removed.append((line, "photo caption repeat"))
        else:
            kept.append(line)

    repeats = _find_repeats(kept)
    kept_after_repeats: list[Line] = []
    for line in kept:
        if line.index in repeats:
            removed.append((line, "repeat of other text on the page"))
        elif line.kind is LineKind.SHORT:
            removed.append((line, "not a sentence: heading, label or link"))
        else:
            kept_after_repeats.append(line)

    # lines between the title and a dateline lead ("GENEVA — ...") are photo captions
    paragraphs = kept_after_repeats
    for pos, line in enumerate(paragraphs[:_LEAD_WINDOW]):
        if pos > 0 and DATELINE.match(line.text):
            for caption in paragraphs[:pos]:
                captions.append(caption.text)
                removed.append((caption, "photo caption before the lead"))
            paragraphs = paragraphs[pos:]
            break

    return Story(
        title=title.text if title else None,
        published=dates.get("published") or dates.get("updated"),
        paragraphs=tuple(paragraphs),
        captions=tuple(dict.fromkeys(c for c in captions if c)),
        removed=tuple(sorted(removed, key=lambda item: item[0].index)),
    )


def split_page(text: str) -> list[Story]:
    """Every story on a plain-text page, cleaned, in page order (stories with no body left out)."""
    lines = split_lines(text)
    headers = _find_headers(lines)
    first_body = next((ln.index for ln in lines if ln.kind is LineKind.SENTENCE), len(lines))
    ranges: list[tuple[int, int, Line | None]] = []
    if not headers or headers[0] > first_body:
        end = headers[0] if headers else len(lines)
        ranges.append((0, end, _fallback_title(lines[:end])))
    for pos, start in enumerate(headers):
        end = headers[pos + 1] if pos + 1 < len(headers) else len(lines)
        # the first story also owns the page furniture above its headline
        ranges.append((0 if not ranges else start, end, lines[start]))
    stories = [_clean_story(lines[start:end], title) for start, end, title in ranges]
    return [story for story in stories if story.paragraphs]


def clean_text(text: str, title: str | None = None) -> Story:
    """Clean ``text`` known to hold one story (a JSON record, an extracted HTML body)."""
    lines = split_lines(text)
    title_line = next(
        (ln for ln in lines if title and comparable(ln.text) == comparable(title)), None
    )
    story = _clean_story(lines, title_line)
    if title is not None and title_line is None:
        story = replace(story, title=title)
    return story
