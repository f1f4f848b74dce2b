"""Wire attributions and report origins: ten outlets repeating one wire story are one source."""

from __future__ import annotations

import pytest

from ceasefire.pipeline.wires import canonical_agency, report_origin, story_wire, wire_origin


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("the UN envoy for Libya Ghassan Salame told Reuters on Friday.", "Reuters"),
        ("TRIPOLI (Reuters) - Rockets hit the port of Tripoli on Tuesday.", "Reuters"),
        ("GENEVA, Feb 21 (AFP) \u2013 Talks resumed.", "AFP"),
        ("(AP) \u2014 Fighting resumed south of the capital.", "AP"),
        ("Fighting resumed south of the capital.\n\u2014 AP", "AP"),
        ("Haftar's departure was reported according to TASS on Tuesday.", "TASS"),
        ("the ministry was quoted as saying by TASS news agency", "TASS"),
        ("Reuters reported that the talks had stalled.", "Reuters"),
        ("He gave the interview to RIA Novosti after meeting Shoigu.", "RIA Novosti"),
        ("in comments to Sputnik, the spokesman said", "Sputnik"),
        ("Anadolu Agency reported that drones struck al-Watiya.", "Anadolu Agency"),
        ("Xinhua said the ceasefire held.", "Xinhua"),
        ("dpa reported from Berlin.", "dpa"),
        ("Agenzia Nova reported that the oil blockade continued.", "Agenzia Nova"),
        ("Agence France-Presse contributed to this report.", "AFP"),
        ("Forces loyal to Haftar patrol in Sebha. (AFP)", "AFP"),
    ],
)
def test_wire_attributions_are_found(text: str, agency: str) -> None:
    assert wire_origin(text) == agency


@pytest.mark.parametrize(
    "text",
    [
        "the Libya Observer reported that the port was hit.",
        "Al Arabiya quoted Haftar as saying the draft ignored the army's demands.",
        "Rockets hit the port of Tripoli.",
        "Oil exports across the MENA region (MENA) fell.",
        "a Reuters-style headline without attribution",
    ],
)
def test_outlets_and_plain_text_are_no_wire(text: str) -> None:
    assert wire_origin(text) is None


def test_a_story_credit_beats_a_photo_credit() -> None:
    page = "Forces patrol in Sebha city. (AFP)\nSalame told Reuters on Friday that talks went on."
    assert wire_origin(page) == "Reuters"
    dateline = "Photo: (AFP)\nTRIPOLI (Reuters) - Rockets hit the port. Salame told AP."
    assert wire_origin(dateline) == "Reuters"


def test_canonical_agency_names_and_domains() -> None:
    assert canonical_agency("Agence France-Presse") == "AFP"
    assert canonical_agency("associated press") == "AP"
    assert canonical_agency("reuters.com") == "Reuters"
    assert canonical_agency("www.aa.com.tr") == "Anadolu Agency"
    assert canonical_agency("Libya Observer") is None
    assert canonical_agency("") is None


def test_report_origin_is_wire_then_syndication_group_then_outlet() -> None:
    assert report_origin("Arab News", "g7", "Agence France-Presse") == "AFP"
    assert report_origin("Arab News", "g7", None) == "group:g7"
    assert report_origin("Arab News", None, None) == "Arab News"
    assert report_origin("reuters.com", None, None) == "Reuters"  # the wire's own site


def test_a_story_is_credited_by_its_dateline_or_sign_off_not_by_a_quote() -> None:
    quoted = "Haftar's forces advanced.\nThe minister was quoted by TASS as saying talks go on."
    assert story_wire(quoted) is None
    assert wire_origin(quoted) == "TASS"
    dated = "TRIPOLI (Reuters) - Rockets hit the port.\nAn official told AFP."
    assert story_wire(dated) == "Reuters"
    assert story_wire("Rockets hit the port.\n— AP") == "AP"
