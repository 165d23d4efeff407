"""HTML pages go through trafilatura: article text and metadata, no site chrome."""

from __future__ import annotations

from tests.conftest import PAGES, documents_of, run_cli


def test_html_article_text_and_metadata():
    result = run_cli("extract", str(PAGES / "article.html"))
    assert result.returncode == 0, result.stderr.decode()
    [doc] = documents_of(result.stdout)
    assert doc["title"] == "Un nouveau convoi de la coalition entre en Syrie par Al-Walid"
    assert doc["outlet"] == "Exemple Médias"
    assert doc["author"] == "Karim Haddad"
    assert (doc["published"], doc["published_source"]) == ("2023-06-14", "html-meta")
    assert doc["language"] == "fr"
    assert doc["text"].startswith("Un nouveau convoi de renforts militaires")
    for junk in ("Accueil", "Les plus lus", "Tous droits réservés", "Tempête sur Beyrouth"):
        assert junk not in doc["text"]
    assert len(doc["paragraphs"]) == 3
