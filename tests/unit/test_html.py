from ceasefire.domain import DateSource
from ceasefire.pipeline.html import extract_html

BODY = (
    "<p>Clashes erupted in Gharyan on Sunday between rival armed groups, killing three fighters "
    "and wounding several civilians, local officials said in a statement on Monday.</p>"
    "<p>The town has changed hands several times since the offensive on the capital began, "
    "and residents said they feared the fighting would spread to the surrounding villages.</p>"
)


def test_html_without_date_metadata_stays_undated() -> None:
    page = extract_html(
        "<html><head><title>Clashes in Gharyan</title></head><body>"
        f"<article><h1>Clashes in Gharyan</h1>{BODY}</article>"
        "<footer>© 2024 Example. Last updated 3 March 2025.</footer></body></html>"
    )
    assert page is not None
    assert page.story.title == "Clashes in Gharyan"
    assert page.story.published is None
    assert "Clashes in Gharyan" not in page.story.text  # the headline is not repeated in the body


def test_html_metadata_date_author_site() -> None:
    page = extract_html(
        "<html><head><title>Clashes in Gharyan</title>"
        '<meta property="article:published_time" content="2019-06-26T08:00:00+02:00">'
        '<meta property="og:site_name" content="Desert Dispatch">'
        '<meta name="author" content="Jane Roe"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article>{BODY}</article></body></html>"
    )
    assert page is not None
    assert page.story.published is not None
    assert page.story.published.value.isoformat() == "2019-06-26"
    assert page.story.published.source is DateSource.METADATA
    assert (page.site_name, page.author) == ("Desert Dispatch", "Jane Roe")
    assert len(page.story.paragraphs) == 2


def test_html_with_no_text() -> None:
    assert extract_html("<html><body><nav>Menu</nav></body></html>") is None


def test_json_ld_and_time_tags_give_the_date() -> None:
    ld = (
        '{"@context": "https://schema.org", '
        '"@graph": [{"@type": "NewsArticle", "datePublished": "2020-10-23"}]}'
    )
    page = extract_html(
        f'<html><head><script type="application/ld+json">{ld}</script></head>'
        f"<body><article>{BODY}</article></body></html>"
    )
    assert page is not None and page.story.published is not None
    assert page.story.published.value.isoformat() == "2020-10-23"
    page = extract_html(
        f'<html><body><article><time pubdate datetime="2020-11-04">4 Nov</time>{BODY}'
        "</article></body></html>"
    )
    assert page is not None and page.story.published is not None
    assert page.story.published.value.isoformat() == "2020-11-04"


def test_published_line_in_the_article_text_is_a_page_date() -> None:
    page = extract_html(
        f"<html><body><article><p>Published 19 February 2020</p>{BODY}</article></body></html>"
    )
    assert page is not None and page.story.published is not None
    assert page.story.published.source is DateSource.PAGE
