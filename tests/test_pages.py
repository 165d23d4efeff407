"""Cleaning and splitting on pages written for these tests in the seeds' styles."""

from __future__ import annotations

from furat.ingest.build import IngestOptions, documents
from furat.report import Reporter
from tests.conftest import PAGES


def extract(name: str, **kw) -> list:
    report = Reporter()
    docs = list(documents([str(PAGES / name)], IngestOptions(**kw), report))
    assert not report.errors
    return docs


def test_blog_page_with_three_articles_in_three_languages():
    docs = extract("blog_multi.txt")
    assert len(docs) == 3
    assert docs[0].title.startswith("Syrian Army Repels Attack")
    assert docs[0].outlet == "SANA"
    assert docs[1].title.startswith("الجيش السوري يستعيد")  # not a link of the Related list
    assert docs[1].published == "2020-03-03"  # Levantine month name (آذار) understood
    assert docs[2].outlet == "Réseau Voltaire"
    assert docs[2].published == "2020-03-03"
    for doc in docs:
        assert "Related" not in doc.text and "Why Idlib Matters" not in doc.text
    # the translator's credit after "Traduction" is not part of the article
    assert "Marie Dupont" not in docs[2].text


def test_french_page_chrome_byline_and_bio():
    [doc] = extract("fr_chrome.txt")
    assert doc.title.startswith("L'armée irakienne annonce")
    assert doc.author == "Jean-Marc Lefort"
    assert doc.outlet == "Agence Info Monde"
    assert (doc.published, doc.published_precision, doc.published_source) == ("2019-10-12", "day", "text")
    for junk in ("image:", "Partager", "Facebook", "Traduction", "En savoir plus", "journaliste indépendant",
                 "About Pierre", "Accueil"):
        assert junk not in doc.text
    assert doc.text.startswith("Le commandement des opérations conjointes")
    assert doc.text.endswith("sécuriser la bande frontalière.")


def test_subheadings_do_not_split_an_article():
    [doc] = extract("fr_subheadings.txt")
    assert "Une menace persistante" in doc.text and "Les enjeux pour Damas" in doc.text
    assert (doc.published, doc.published_precision) == ("2022-04", "month")
    assert doc.outlet == "Médias"
    assert "Source" not in doc.text


def test_as_is_keeps_the_text_exactly():
    raw = (PAGES / "fr_chrome.txt").read_text(encoding="utf-8")
    [doc] = extract("fr_chrome.txt", as_is=True)
    assert doc.text == raw
    for p in doc.paragraphs:
        line = doc.text[p.start:p.end]
        assert line and "\n" not in line and line == line.strip()
    assert "Aller à…" in doc.text  # nothing cleaned
    assert doc.published == "2019-10-12"  # metadata is still read


def test_quoted_post_date_is_a_weak_month_hint():
    [doc] = extract("ar_tweet_fr.txt")
    assert (doc.published, doc.published_precision, doc.published_source) == \
        ("2022-03", "month", "embedded-post")
