"""Hostile and broken HTML: nothing unsafe survives, nothing crashes, and huge or deep pages stay bounded."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.extract import ExtractedArticle, decode_page, extract_article
from newsdesk.extract.sanitize import sanitize_html

STORY = ("The council voted on Tuesday to expand the city's bus network, adding twelve routes that will serve the "
         "northern districts for the first time. Officials said the plan would cost forty million over five years.")
HOSTILE = f"""<html><head><script>var stolen = document.cookie;</script><style>p {{ color: red }}</style></head>
<body onload="steal()"><article>
<h1 onmouseover="alert(1)">Council expands bus network</h1>
<p onclick="alert('x')" style="position:fixed">{STORY} <a href="javascript:alert(1)">click me</a>
 <a href="/routes/new?x=1" onclick="evil()">new routes</a> <img src="photo.jpg" onerror="alert(2)" alt="bus"></p>
<p>{STORY} <a href="JaVaScRiPt:alert(3)">again</a> <a href="data:text/html,&lt;script&gt;">data</a></p>
<iframe src="https://evil.example/frame"></iframe><script>alert("inline")</script>
<form action="/steal"><input name="q"><button>Send</button></form>
<p>{STORY}</p></article></body></html>"""


def _assert_safe(article: ExtractedArticle) -> None:
    lowered = article.html.lower()
    for needle in ("<script", "<style", "<iframe", "<form", "<input", "javascript:", "data:text", " on", "style="):
        assert needle not in lowered.replace(" only", "").replace(" on tuesday", ""), needle
    assert sanitize_html(article.html) == article.html  # already as clean as nh3 makes it


def test_hostile_page_is_sanitised_and_links_made_absolute() -> None:
    article = extract_article(HOSTILE, "https://city.example/news/2024/buses.html")
    assert "expand the city's bus network" in article.text
    assert "stolen" not in article.text and "alert" not in article.text
    _assert_safe(article)


def test_sanitizer_keeps_safe_links_absolute() -> None:
    html = sanitize_html('<p><a href="/routes?x=1" onclick="e()">r</a><img src="a.jpg" onerror="x()">'
                         '<a href="javascript:alert(1)">j</a></p>', "https://city.example/news/a.html")
    assert 'href="https://city.example/routes?x=1"' in html
    assert 'src="https://city.example/news/a.jpg"' in html
    assert "javascript" not in html and "onclick" not in html and "onerror" not in html


@pytest.mark.parametrize("html", ["", "   ", "\x00\x01\x02", "<<<>>>", "<html>", "</p></div>", "&#xffffff;&#0;",
                                  "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
                                  "<html><body></body></html>", "plain text with no tags at all"])
def test_empty_and_garbage_input(html: str) -> None:
    article = extract_article(html)
    assert isinstance(article.text, str)
    _assert_safe(article)


def test_deeply_nested_divs_do_not_crash() -> None:
    depth = 100_000
    html = "<html><body>" + "<div>" * depth + f"<p>{STORY}</p>" + "</div>" * depth + "</body></html>"
    article = extract_article(html, "https://city.example/a")
    assert article.text in ("", STORY) or STORY in article.text
    _assert_safe(article)


@pytest.mark.slow
def test_huge_page_is_bounded() -> None:
    filler = "".join(f"<li><a href='/n/{i}'>Headline number {i} in the endless list</a></li>" for i in range(40_000))
    html = (f"<html><body><nav><ul>{filler}</ul></nav><article><p>{STORY}</p><p>{STORY}</p></article>"
            f"<footer><ul>{filler}</ul></footer></body></html>")
    assert len(html) > 4_000_000
    article = extract_article(html, "https://city.example/a")
    assert isinstance(article.text, str)
    _assert_safe(article)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.one_of(st.none(), st.text(max_size=40)))
def test_decode_page_never_raises(raw: bytes, content_type: str | None) -> None:
    assert isinstance(decode_page(raw, content_type), str)


_TAGS = st.sampled_from(["div", "p", "a", "script", "style", "article", "nav", "h1", "li", "ul", "iframe", "table",
                         "td", "svg", "math", "template", "noscript", "body", "html", "head", "title", "meta"])
_ATTRS = st.sampled_from(['', ' onclick="x()"', ' href="javascript:x()"', ' href="/rel"', ' class="byline"',
                          ' property="og:image" content="/i.png"', ' lang="xx-YY"', ' src="data:x"'])
_PIECES = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", _TAGS, _ATTRS), st.builds(lambda t: f"</{t}>", _TAGS),
    st.text(max_size=60), st.sampled_from(["&amp;", "&#0;", "&#x110000;", "<!--", "-->", "<![CDATA[", "\x00"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=60), st.one_of(st.none(), st.just("https://fuzz.example/a/b")))
def test_extract_article_never_raises_and_stays_safe(pieces: list[str], url: str | None) -> None:
    article = extract_article("".join(pieces), url)
    assert isinstance(article.text, str)
    lowered = article.html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and "<iframe" not in lowered
    assert " onclick" not in lowered
    article.as_dict()
