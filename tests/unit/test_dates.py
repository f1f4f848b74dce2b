from datetime import date

import pytest

from ceasefire.domain import DatePrecision, DateSource
from ceasefire.pipeline.dates import parse_date_line, parse_date_text, parse_metadata_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19 February 2020", date(2020, 2, 19)),
        ("05 June 2020", date(2020, 6, 5)),
        ("Feb. 19, 2020", date(2020, 2, 19)),
        ("February 19th, 2020 10:42 GMT", date(2020, 2, 19)),
        ("Wednesday, 19 February 2020", date(2020, 2, 19)),
        ("2020-02-19", date(2020, 2, 19)),
        ("19/02/2020", date(2020, 2, 19)),
        ("Sept 3 2020", date(2020, 9, 3)),
    ],
)
def test_day_dates(text: str, expected: date) -> None:
    assert parse_date_text(text) == (expected, DatePrecision.DAY)


def test_month_only_date_has_month_precision() -> None:
    assert parse_date_text("February 2020") == (date(2020, 2, 1), DatePrecision.MONTH)


@pytest.mark.parametrize("text", ["31 February 2020", "we met", "", "Friday", "19 Februar 2020"])
def test_no_date_or_invalid(text: str) -> None:
    assert parse_date_text(text) is None


def test_date_lines_say_what_they_are() -> None:
    label, published = parse_date_line("Updated 22 February 2020") or ("", None)
    assert label == "updated"
    assert published is not None
    assert published.value == date(2020, 2, 22)
    assert published.source is DateSource.PAGE
    assert parse_date_line("Published: 19 February 2020")[0] == "published"  # type: ignore[index]
    assert parse_date_line("Published on Feb 19, 2020")[0] == "published"  # type: ignore[index]
    assert parse_date_line("Published by the ministry") is None
    assert parse_date_line("Updates from Tripoli on 19 February 2020") is None


def test_metadata_dates() -> None:
    value = parse_metadata_date("2020-02-19T10:00:00Z", DateSource.METADATA)
    assert value is not None and value.value == date(2020, 2, 19)
    month = parse_metadata_date("2020-02", DateSource.METADATA)
    assert month is not None and month.precision is DatePrecision.MONTH
    assert parse_metadata_date("not a date", DateSource.METADATA) is None
    assert parse_metadata_date(None, DateSource.METADATA) is None
