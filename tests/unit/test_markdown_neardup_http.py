import ipaddress

import pytest

from ceasefire.adapters.http import is_public
from ceasefire.pipeline.markdown import markdown_to_text
from ceasefire.pipeline.neardup import Match, fingerprint, merge_groups, similarity


def test_markdown_becomes_plain_lines() -> None:
    text = markdown_to_text(
        "# Ceasefire signed\n\n*Published 2020-10-23*\n\n"
        "The **JMC** met in [Geneva](https://example.org) on Friday.\n"
    )
    assert text.splitlines() == [
        "Ceasefire signed",
        "",
        "Published 2020-10-23",
        "",
        "The JMC met in Geneva on Friday.",
    ]


def test_near_duplicates_score_high_and_different_stories_low() -> None:
    body = (
        "Government forces took the air base on Monday after weeks of drone strikes, the "
        "spokesman said, adding that dozens of fighters had surrendered and that heavy "
        "equipment had been captured intact, including air defence systems."
    )
    copy = "A wire report carried by a second outlet. " + body
    other = (
        "The port reopened to container ships on Tuesday after the dredging of its main "
        "channel, the port authority said in a statement published in the capital."
    )
    a, b, c = fingerprint(body), fingerprint(copy), fingerprint(other)
    assert similarity(a.signature, b.signature) > 0.7
    assert similarity(a.signature, c.signature) < 0.2
    assert set(a.bands) & set(b.bands)


def test_group_is_named_by_smallest_member_whatever_the_order() -> None:
    group, merged = merge_groups("c", [Match("b", None, 0.9), Match("d", "a", 0.8)])
    assert group == "a"
    assert merged == set()
    group, merged = merge_groups("a", [Match("b", "b", 0.9)])
    assert (group, merged) == ("a", {"b"})


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("224.0.0.1", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("2606:4700::1111", True),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public
