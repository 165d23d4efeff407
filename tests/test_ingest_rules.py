"""The line rules behind cleaning and splitting, and the date lines behind `published`."""

from __future__ import annotations

import pytest

from furat.ingest.dates import date_line, embedded_post_date, leading_date
from furat.ingest.decode import DecodeError, decode_bytes
from furat.ingest.split import Kind, classify, split_page


@pytest.mark.parametrize(("line", "kind", "value"), [
    ("SourceAFP", Kind.SOURCE, "AFP"),
    ("Source: Al-Manar Website", Kind.SOURCE, "Al-Manar Website"),
    ("المصدر: سانا", Kind.SOURCE, "سانا"),
    ("Source of tension in the east", Kind.TEXT, None),
    ("Sources diplomatiques", Kind.TEXT, None),
    ("المصدر السوري لـالأخبار قال إن", Kind.TEXT, None),
    ("Related\u00a0Articles", Kind.END, None),          # a non-breaking space, as pages have
    ("This article was first published by\u00a0RT", Kind.END, None),
    ("Articles similaires", Kind.END, None),
    ("مقالات ذات صلة", Kind.END, None),
    ("Par Samer Hussein", Kind.BYLINE, "Samer Hussein"),
    ("By Finian Cunningham", Kind.BYLINE, "Finian Cunningham"),
    ("Par ailleurs", Kind.TEXT, None),
    ("350Facebook0TwitterGoogle+Total : 350", Kind.DROP, None),
    ("image: http://example.org/a.jpg", Kind.DROP, None),
    ("Search This Blog", Kind.DROP, None),
    ("Aller à…", Kind.DROP, None),
    ("About Ginette Hess Skandrani", Kind.BIO, None),
    ("Thursday, September 21, 2017", Kind.DATE, None),
    ("Voltaire Network — Sept 20, 2017", Kind.DATE, "Voltaire Network"),
])
def test_line_kinds(line, kind, value):
    [classified] = classify(line)
    assert classified.kind is kind
    assert classified.value == value


@pytest.mark.parametrize(("text", "value", "precision"), [
    ("Thursday, September 21, 2017", "2017-09-21", "day"),
    ("15 novembre 2017", "2017-11-15", "day"),
    ("سبتمبر 21, 2017", "2017-09-21", "day"),
    ("الخميس 21 أيلول ٢٠١٧", "2017-09-21", "day"),     # Levantine month, Eastern Arabic digits
    ("تشرين الأول 3, 2019", "2019-10-03", "day"),
    ("Publié le 3 mars 2020", "2020-03-03", "day"),
    ("2023-06", "2023-06", "month"),
    ("2023-06-14T09:30:00+03:00", "2023-06-14", "day"),
    ("2017", "2017", "year"),
])
def test_date_lines(text, value, precision):
    found = date_line(text)
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize("text", [
    "The referendum of 25 September 2017 will take place next week",  # a sentence, not a date line
    "Hezbollah said in 2017",
    "2023-13",
])
def test_not_date_lines(text):
    assert date_line(text) is None


def test_date_glued_to_the_body_and_quoted_post_dates():
    line = " date 2023-06 Des sources ont rapporté à la chaîne Al-Mayadeen qu'un convoi est entré"
    found, rest = leading_date(line)
    assert (found.value, found.precision) == ("2023-06", "month")
    assert rest.startswith("Des sources")
    assert embedded_post_date("— زين العابدين | Zain (@DeirEzzore) November 19, 2021").value == "2021-11-19"


def test_legacy_encodings_and_refusals():
    arabic = "قالت مصادر محلية إن قوات سوريا الديمقراطية شنت هجوما على بلدة في ريف دير الزور الشرقي أمس"
    assert decode_bytes(arabic.encode("cp1256")).text == arabic
    french = "Les forces gouvernementales ont lancé une opération près de Deir Ezzor, a déclaré le ministère."
    assert decode_bytes(french.encode("latin-1")).text == french
    assert decode_bytes(french.encode("utf-16")).text == french
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(b"   \n")
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(bytes(range(256)) * 8)


def test_short_dispatch_without_headline_is_one_article():
    page = ("Damas, 3 mars (SANA) - L'armée syrienne a repris le contrôle de la ville de Saraqib, dans la "
            "province d'Idleb, après de violents combats avec les groupes armés.")
    [article] = split_page(page)
    assert article.title is None and article.paragraphs == [page]
