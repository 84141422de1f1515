"""The reader's HTML pages over a real SQLite sample store: content, filters, escaping, RTL, i18n, caching."""

from __future__ import annotations

import re

import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient
from web_story_rows import HOSTILE, add_story

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories


def story_links(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<h2 class="headline" dir="\w+"><a href="/stories/(\d+)"', html)]


def test_home_lists_story_cards_with_other_outlets(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert len(story_links(page.text)) == 20
    assert page.text.count('class="others"') > 5
    assert "Full coverage" in page.text and 'class="trending"' in page.text


def test_home_edition_shows_only_stories_of_that_region(client: TestClient,
                                                        sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    ids = story_links(client.get("/?edition=NL").text)
    assert ids
    with engine.connect() as conn:
        regions = conn.execute(sa.select(stories.c.regions).where(stories.c.id.in_(ids))).scalars().all()
    assert all("NL" in r for r in regions)
    assert len(story_links(client.get("/?edition=world").text)) == 20


def test_home_topic_and_language_filters(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    business = story_links(client.get("/?topic=business").text)
    arabic = story_links(client.get("/?lang=ar").text)
    with engine.connect() as conn:
        topics = conn.execute(sa.select(stories.c.topics).where(stories.c.id.in_(business))).scalars().all()
        languages = conn.execute(sa.select(stories.c.languages).where(stories.c.id.in_(arabic))).scalars().all()
    assert business and all("business" in t for t in topics)
    assert arabic and all("ar" in langs for langs in languages)


def test_story_page_has_chart_who_covers_and_all_articles(client: TestClient,
                                                          sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    with engine.connect() as conn:
        story_id, count = conn.execute(sa.select(stories.c.id, stories.c.article_count)
                                       .where(sa.cast(stories.c.languages, sa.Text).like('%"nl"%'))).first()
    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200
    assert '<svg class="chart"' in page.text and "<rect " in page.text
    assert "Who covers it" in page.text and "Blindspot" in page.text
    assert page.text.count("data-nav-item") + page.text.count('<li id="a') >= count
    assert "Netherlands" in page.text  # MEANTIME's Dutch articles come from the NL region
    by_region = client.get(f"/stories/{story_id}?by=region")
    assert 'aria-current="true">By region' in by_region.text


def test_wire_copies_fold_under_also_published_by(client: TestClient,
                                                  sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, ids = add_story(engine, [("Agence A", "en", "Wire story"), ("Paper B", "en", "Wire story copy"),
                                       ("Paper C", "en", "Wire story copy 2")])
    with engine.begin() as conn:
        conn.execute(articles.update().where(articles.c.id.in_(ids[1:])).values(duplicate_of=ids[0]))
    page = client.get(f"/stories/{story_id}").text
    assert "Also published by 2 outlets" in page
    folded = page[page.index("Also published by"):]
    assert f'href="/articles/{ids[1]}"' in folded and f'href="/articles/{ids[2]}"' in folded


def test_article_page_shows_headline_once_body_original_and_related(client: TestClient,
                                                                     sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    _, ids = add_story(engine, [("Nahar Net", "en", "Ceasefire talks expected to resume"),
                                ("L'Orient-Le Jour", "en", "Massive protest in Saida"),
                                ("Other Paper", "en", "Failure of Gaza talks")],
                       html="<p>First paragraph.</p><script>alert(1)</script><p onclick='x()'>Second.</p>")
    page = client.get(f"/articles/{ids[0]}").text
    assert page.count("Ceasefire talks expected to resume</h1>") == 1
    assert page[page.index("<body"):].count("Ceasefire talks expected to resume") == 1  # the headline (the head
    assert "<title>Ceasefire talks expected to resume" in page  # has it too, in <title> and the preview tags)
    assert "<p>First paragraph.</p>" in page and "<script>alert(1)" not in page and "onclick" not in page
    assert "16 hours ago" in page
    assert 'href="https://0.example/' in page and "Read the original on Nahar Net" in page
    related = page[page.index('id="related-title"'):page.index('id="comments-title"')]
    assert "Massive protest in Saida" in related and "L&#39;Orient-Le Jour" in related
    assert "Comments" in page


def test_hostile_titles_are_escaped_everywhere(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, ids = add_story(engine, [(HOSTILE, "en", HOSTILE), ("Fine", "en", "Zyxwv " + HOSTILE)], text=HOSTILE)
    for url in ("/", f"/stories/{story_id}", f"/articles/{ids[0]}", "/search?q=zyxwv", "/search?q=alert"):
        body = client.get(url).text
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;" in body, url


def test_arabic_article_is_right_to_left_and_ui_follows_language(client: TestClient,
                                                                 sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    _, ids = add_story(engine, [("الجزيرة", "ar", "محادثات وقف إطلاق النار"), ("Le Monde", "fr", "Cessez-le-feu")])
    english_ui = client.get(f"/articles/{ids[0]}", headers={"accept-language": "en"}).text
    assert '<html lang="en" dir="ltr">' in english_ui
    assert '<article class="article" lang="ar" dir="rtl">' in english_ui
    arabic_ui = client.get(f"/articles/{ids[1]}?ui=ar").text
    assert '<html lang="ar" dir="rtl">' in arabic_ui
    assert '<article class="article" lang="fr" dir="ltr">' in arabic_ui
    assert "قبل 16 ساعة" in arabic_ui and "مقالات ذات صلة" in arabic_ui


def test_interface_language_from_query_cookie_and_browser(client: TestClient,
                                                          sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    _, ids = add_story(engine, [("Le Monde", "fr", "Un article"), ("Libération", "fr", "Un autre")])
    french = client.get(f"/articles/{ids[0]}", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert "il y a 16 heures" in french.text and "Articles liés" in french.text
    chosen = client.get("/?ui=ar")
    assert chosen.cookies.get("ui") == "ar" and "أهم الأخبار" in chosen.text
    remembered = client.get("/search", headers={"accept-language": "fr"})
    assert '<html lang="ar" dir="rtl">' in remembered.text
    client.cookies.clear()
    assert '<html lang="en"' in client.get("/search").text


def test_search_page_highlights_and_filters(client: TestClient) -> None:
    page = client.get("/search", params={"q": "ipod video"}).text
    assert "<mark>" in page and page.count('class="snippet"') >= 1
    spanish = client.get("/search", params={"q": "ipod", "lang": "es"}).text
    hit_languages = re.findall(r'<li class="card" data-nav-item lang="(\w+)"', spanish)
    assert hit_languages and set(hit_languages) == {"es"}
    none = client.get("/search", params={"q": "ipod", "from": "2100-01-01"}).text
    assert "No articles match" in none


def test_sources_page_lists_health(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    sign_in_as(client, sample_store[0], "admin")
    page = client.get("/sources").text
    assert "status-active" in page and "Last fetched" in page and "Add a source" in page


def test_missing_pages_are_404_and_merged_stories_redirect(client: TestClient,
                                                          sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    assert client.get("/stories/999999").status_code == 404
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    story_id, _ = add_story(engine, [("A", "en", "Merged away")])
    with engine.begin() as conn:
        conn.execute(stories.update().where(stories.c.id == story_id).values(merged_into=1))
    moved = client.get(f"/stories/{story_id}", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/stories/1"


def test_etag_revalidation_gives_304(client: TestClient) -> None:
    first = client.get("/stories/2")
    again = client.get("/stories/2", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert first.headers["cache-control"] == "no-cache"
    css = re.search(r'href="(/static/app\.css\?v=\w+)"', first.text).group(1)
    assert "max-age=" in client.get(css).headers["cache-control"]


def test_pwa_files(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and any(i["sizes"] == "512x512" for i in manifest["icons"])
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/sw.js")
    assert worker.headers["service-worker-allowed"] == "/" and "caches.open" in worker.text
    assert client.get("/offline").status_code == 200


def test_sources_page_is_paged(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    sign_in_as(client, sample_store[0], "admin")
    first = client.get("/sources").text
    second = client.get("/sources?page=2").text
    assert first.count('class="card source"') == 100 and 'rel="next"' in first
    assert 'rel="prev"' in second and second.count('class="card source"') >= 1
    names = set(re.findall(r'<a class="feed-url" href="([^"]+)"', first))
    assert names.isdisjoint(re.findall(r'<a class="feed-url" href="([^"]+)"', second))


def test_story_summary_has_citation_chips_to_articles_on_the_page(client: TestClient,
                                                                   sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    with engine.connect() as conn:
        story_id = conn.execute(sa.select(stories.c.id).where(sa.cast(stories.c.languages, sa.Text).like('%"nl"%'))
                                .order_by(stories.c.article_count.desc())).scalars().first()
    page = client.get(f"/stories/{story_id}").text
    chips = re.findall(r'<a class="cite" href="#a(\d+)"', page)
    assert chips, "the summary of a four-language story with full texts has citations"
    assert all(f'id="a{chip}"' in page for chip in chips)
