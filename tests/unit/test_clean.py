"""The plain-text cleaner on small pages written for these tests."""

from datetime import date

from ceasefire.pipeline.clean import clean_text, split_page

PAGE = """\
Menu
Share on facebook
twitter
World > Africa

Gunmen storm checkpoint near Zawiya
Published 3 March 2021
Fighters at a checkpoint on the coastal road west of Tripoli. | Photo: Reuters

• Gunmen stormed a checkpoint near Zawiya on Tuesday, killing two guards, officials said

ZAWIYA: Gunmen stormed a checkpoint near Zawiya on Tuesday, killing two guards, officials said.
Related:
Ceasefire monitors head west
The attackers fled towards the coast, a security source said.
Security sweep
Police set up new roadblocks on Wednesday.
Continue Reading
Leave a Reply
Your email address will not be published. Required fields are marked *
"""


def test_story_title_date_caption_and_body() -> None:
    [story] = split_page(PAGE)
    assert story.title == "Gunmen storm checkpoint near Zawiya"
    assert story.published is not None and story.published.value == date(2021, 3, 3)
    assert story.captions == ("Fighters at a checkpoint on the coastal road west of Tripoli.",)
    assert [p.text for p in story.paragraphs] == [
        "ZAWIYA: Gunmen stormed a checkpoint near Zawiya on Tuesday, killing two guards, "
        "officials said.",
        "The attackers fled towards the coast, a security source said.",
        "Police set up new roadblocks on Wednesday.",
    ]
    reasons = {line.text: why for line, why in story.removed}
    assert reasons["Menu"] == "navigation or publisher boilerplate before the headline"
    assert reasons["Ceasefire monitors head west"].startswith("not a sentence")
    assert reasons["Leave a Reply"] == "after the end of the story"
    assert (
        "repeat"
        in reasons[
            "Gunmen stormed a checkpoint near Zawiya on Tuesday, killing two guards, officials said"
        ]
    )


def test_appended_story_is_split_with_its_own_title_and_date() -> None:
    page = (
        PAGE
        + """
Port of Benghazi reopens to container ships
Updated 9 March 2021

Port of Benghazi reopens to container ships

The port of Benghazi reopened to container traffic on Monday after dredging works, the port
authority said in a statement.
"""
    )
    first, second = split_page(page)
    assert first.title == "Gunmen storm checkpoint near Zawiya"
    assert second.title == "Port of Benghazi reopens to container ships"
    assert second.published is not None and second.published.value == date(2021, 3, 9)
    assert len(second.paragraphs) == 1


def test_undated_page_stays_undated() -> None:
    [story] = split_page(
        "Clashes in Sabha\n\nClashes broke out in Sabha on Friday, residents said.\n"
    )
    assert story.title == "Clashes in Sabha"
    assert story.published is None


def test_page_without_a_headline() -> None:
    [story] = split_page("Clashes broke out in Sabha on Friday, residents said.\n")
    assert story.title is None
    assert story.text == "Clashes broke out in Sabha on Friday, residents said."


def test_teaser_pieced_from_two_body_lines_goes_and_body_stays() -> None:
    page = (
        "Talks collapse in Ghadames\n\n"
        "Talks collapsed in Ghadames on Monday after a day of wrangling over the front line. "
        "Both delegations left the oasis town by evening, the mission…\n\n"
        "Talks collapse in Ghadames\n\n"
        "Talks collapsed in Ghadames on Monday after a day of wrangling over the front line.\n"
        "Both delegations left the oasis town by evening, the mission said in a statement.\n"
    )
    [story] = split_page(page)
    assert [p.text for p in story.paragraphs] == [
        "Talks collapsed in Ghadames on Monday after a day of wrangling over the front line.",
        "Both delegations left the oasis town by evening, the mission said in a statement.",
    ]


def test_pull_quote_repeating_the_body_goes() -> None:
    text = (
        "“We will not accept any talks while our cities are shelled every night, and we will "
        "answer every attack,” the spokesman said on Sunday.\n"
        "The mission called for calm.\n"
        "“We will not accept any talks while our cities are shelled ... we will answer every "
        "attack.”\n"
    )
    story = clean_text(text, title="Spokesman rejects talks")
    assert len(story.paragraphs) == 2
    assert story.title == "Spokesman rejects talks"


def test_exact_duplicate_paragraph_is_kept_once() -> None:
    line = "Fighting resumed south of Tripoli on Thursday, witnesses said."
    story = clean_text(f"{line}\n{line}\n")
    assert [p.text for p in story.paragraphs] == [line]


def test_dateline_lead_turns_earlier_lines_into_captions() -> None:
    page = (
        "Envoy opens talks\n\n"
        "The envoy, a former minister, at the Palais des Nations.\n\n"
        "GENEVA — The envoy opened a new round of talks on Monday.\n"
    )
    [story] = split_page(page)
    assert story.captions == ("The envoy, a former minister, at the Palais des Nations.",)
    assert story.text.startswith("GENEVA — ")
