"""Language of documents and paragraphs."""

from __future__ import annotations

from furat.language.detect import paragraph_languages

CANDIDATES = ("fr", "en", "ar", "de", "es", "it", "tr", "ru", "fa")


def test_french_article_quoting_an_arabic_tweet():
    paragraphs = [
        "Des manifestants se sont rassemblés devant la base américaine pour réclamer le départ des forces.",
        "تظاهرة حاشدة أمام القاعدة الأمريكية في ريف الحسكة للمطالبة بخروج قوات الاحتلال",
        "Les habitants accusent les forces américaines de protéger les trafiquants de carburant.",
    ]
    langs, shares = paragraph_languages(paragraphs, CANDIDATES)
    assert langs == ["fr", "ar", "fr"]
    assert max(shares, key=shares.get) == "fr"
    assert 0.2 < shares["ar"] < 0.5


def test_english_and_short_lines():
    langs, shares = paragraph_languages(
        ["Russia warned the United States of reprisals after artillery fire targeted government troops.",
         "SourceAFP"], CANDIDATES)
    assert langs == ["en", "en"]  # a short line takes the document's language
    assert shares == {"en": 1.0}


def test_arabic_inside_a_latin_paragraph_counts_for_arabic():
    _, shares = paragraph_languages(
        ["Le groupe, appelé قوات سوريا الديمقراطية en arabe, contrôle la rive est de l'Euphrate."],
        CANDIDATES)
    assert shares["fr"] > shares["ar"] > 0


def test_other_languages_are_named_not_forced_into_three():
    langs, _ = paragraph_languages(
        ["Die syrische Armee hat am Montag den Euphrat überquert und die Stadt von drei Seiten abgeriegelt."],
        CANDIDATES)
    assert langs == ["de"]
