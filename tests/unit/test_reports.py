"""Rendering a hand-made situation report: escaping of ingested text in HTML and Markdown, links,
the period's wording, the images and the errors (no database)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.incidents import Claim, IncidentStatus, Stance
from ceasefire.domain.users import Role
from ceasefire.reports import ReportError, ReportQuery, SituationReport, render
from ceasefire.reports.data import Citation, Headline, IncidentEntry
from ceasefire.reports.markdown import escape
from ceasefire.reports.render import data_uri, period
from tests.unit.agreement_world import actor, incident

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _report(**changes: object) -> SituationReport:
    claims = (
        Claim(
            "e1", Stance.CLAIMS, actor("lna"), f"LNA TV {SCRIPT}", actor("lna"), 3, f"We hit {IMG}"
        ),
        Claim(
            "e2", Stance.DENIES, actor("gna"), "Libya Observer", None, None, "Nothing | happened"
        ),
    )
    disputed = dataclasses.replace(
        incident("inc-2", status=IncidentStatus.DISPUTED, claims=claims, actor1=actor("lna")),
        fatalities=3,
        fatalities_high=7,
    )
    attack = incident("inc-1", actor1=actor("lna"), actor2=actor("gna"))
    violation = Assessment(
        "inc-1", "truce", "truce_cease_hostilities", "lna", "lna", "east",
        Determination.CORROBORATED, "why", "assess-1",
    )  # fmt: skip
    citations = (
        Citation(f"Wire {SCRIPT}", date(2020, 2, 19), "javascript:alert(1)", f"Evidence {IMG}"),
        Citation("Reuters", date(2020, 2, 18), "https://example.org/a?b=1&c=2", "Rockets hit."),
    )
    base = SituationReport(
        query=ReportQuery(date(2020, 2, 17), date(2020, 2, 23)),
        generated=datetime(2020, 2, 24, tzinfo=UTC),
        profile_name="Libya",
        country="LY",
        headline=Headline(
            2, {"corroborated": 1, "disputed": 1}, 1, 0, {"corroborated": 1}, 3, 7, 1
        ),
        incidents=(attack, disputed),
        violations=(violation,),
        by_party={"lna": {"corroborated": 1}},
        by_agreement={"truce": {"corroborated": 1}},
        key=(IncidentEntry(attack, (violation,), citations),),
        disputed=(IncidentEntry(disputed, (), citations),),
        commitments=(),
        sources={f"Wire {SCRIPT}": 1, "Reuters": 1},
        names={"lna": "Libyan National Army", "gna": "GNA", "truce": "Moscow/Ankara truce"},
        flagged={"inc-1": (violation,)},
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []  # src/href of what a browser would fetch
        self.anchors: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("img", "script", "link", "iframe", "source", "object"):
            self.loaded += [v or "" for k, v in attrs if k in ("src", "href", "data")]
        if tag == "a":
            self.anchors.append(values.get("href") or "")


def test_html_escapes_ingested_text_and_loads_nothing() -> None:
    page = render(_report(), "html").content.decode()
    for markup in (SCRIPT, IMG):
        assert markup not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    links = _Links()
    links.feed(page)
    assert links.scripts == 0
    assert links.loaded and all(src.startswith("data:image/png;base64,") for src in links.loaded)
    assert "javascript:" not in page  # a citation's link is kept only when it is a web address
    assert links.anchors == ["https://example.org/a?b=1&c=2"] * 2
    assert "default-src &#39;none&#39;" in page or "default-src 'none'" in page


def test_html_shows_ranges_claims_side_by_side_and_the_method() -> None:
    page = render(_report(), "html").content.decode()
    assert "17–23 Feb 2020" in page
    assert "3–7" in page  # fatalities as a range
    assert "denies" in page and "claims" in page and "Nothing | happened" in page
    assert "Possible violation (corroborated)" in page and "Moscow/Ankara truce" in page
    assert "Natural Earth" in page and "Independence" in page and "precision" in page


def test_markdown_escapes_and_can_embed_or_link_images() -> None:
    inline = render(_report(), "md")
    text = inline.content.decode()
    assert SCRIPT not in text and IMG not in text
    assert "Nothing \\| happened" in text  # a table cell stays one cell
    assert "](data:image/png;base64," in text and not inline.attachments
    files = render(_report(), "md", image_stem="week8")
    assert "](week8-map.png)" in files.content.decode()
    assert set(files.attachments) == {
        "week8-map.png",
        "week8-incidents-per-day.png",
        "week8-violations-per-party.png",
    }
    assert all(png.startswith(PNG_MAGIC) for png in files.attachments.values())
    assert escape("a [link](http://x) `code`\nnext") == r"a \[link\]\(http://x\) \`code\` next"


def test_an_empty_period_still_renders() -> None:
    empty = _report(
        incidents=(),
        violations=(),
        key=(),
        disputed=(),
        by_party={},
        by_agreement={},
        sources={},
        headline=Headline(0, {}, 0, 0, {}, 0, 0, 0),
    )
    assert "No incident in the period." in render(empty, "html").content.decode()
    assert "No incident in the period." in render(empty, "md").content.decode()


def test_periods_are_written_as_people_write_them() -> None:
    def wording(start: date, end: date) -> str:
        return period(_report(query=ReportQuery(start, end)))

    assert wording(date(2020, 2, 17), date(2020, 2, 23)) == "17–23 Feb 2020"
    assert wording(date(2020, 2, 28), date(2020, 3, 3)) == "28 Feb – 3 Mar 2020"
    assert wording(date(2019, 12, 30), date(2020, 1, 2)) == "30 Dec 2019 – 2 Jan 2020"
    assert wording(date(2020, 2, 17), date(2020, 2, 17)) == "17 Feb 2020"


def test_bad_requests_raise_report_errors() -> None:
    with pytest.raises(ReportError, match="before it starts"):
        ReportQuery(date(2020, 2, 23), date(2020, 2, 17)).check()
    with pytest.raises(ReportError, match="at most"):
        ReportQuery(date(2018, 1, 1), date(2020, 1, 1)).check()
    with pytest.raises(ReportError, match="unknown report format"):
        render(_report(), "docx")
    assert ReportQuery(date(2020, 1, 1), date(2020, 1, 1)).role is Role.VIEWER
    assert data_uri(b"x") == "data:image/png;base64,eA=="
