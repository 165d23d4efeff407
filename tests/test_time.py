"""The `time` stage on seed sentences (copied with their publication dates) and written ones."""

from __future__ import annotations

import pytest

from furat.model import Document, Paragraph
from furat.pipeline import get_stage
from furat.time.govern import governing_time
from furat.time.stage import document_times
from furat.time.tagger import tag


def _doc(text: str, language: str, published: str | None) -> Document:
    precision = None if published is None else {10: "day", 7: "month", 4: "year"}[len(published)]
    return Document(id="t", source="-", raw_sha256="0", text=text, language=language,
                    published=published, published_precision=precision,
                    paragraphs=[Paragraph(start=0, end=len(text), language=language)])


def _value(text: str, lang: str, anchor: str | None, expr: str) -> str | None:
    for t in tag(text, lang, anchor):
        if expr in t.text:
            assert text[t.start : t.end] == t.text
            return t.value
    raise AssertionError(f"{expr!r} not found in {[t.text for t in tag(text, lang, anchor)]}")


# Seed sentences, with the publication dates ingest gives their articles.
def test_seed_on_monday_is_the_past_monday() -> None:
    text = "On Monday, Syrian government troops crossed the Euphrates river, sealing off the city."
    assert _value(text, "en", "2017-09-21", "Monday") == "2017-09-18"


def test_seed_september_20() -> None:
    text = "On September 20, the Syrian Arab Army (SAA) seized Masrab, Turayf and Tibni villages."
    assert _value(text, "en", "2017-09-21", "September 20") == "2017-09-20"


def test_seed_arabic_yesterday() -> None:
    text = "على صعيد متصل، حقق الجيش السوري أمس تقدماً لافتاً في الريف الغربي لدير الزور."
    assert _value(text, "ar", "2017-09-21", "أمس") == "2017-09-20"


def test_seed_french_weekday_with_day_in_month_precise_page() -> None:
    text = "Des hommes armés de Daech ont attaqué le dimanche 24 janvier un bus de nuit."
    assert _value(text, "fr", "2021-01", "24 janvier") == "2021-01-24"


def test_seed_french_last_week_is_a_week_value() -> None:
    text = "La semaine dernière, des unités de l’armée syrienne ont libéré la ville d’Abu Kamal."
    assert _value(text, "fr", "2017-11-15", "semaine dernière") == "2017-W45"


def test_seed_french_day_month_in_later_month() -> None:
    text = "la base qu'ils ont quasiment perdu lors de la frappe aux drones du 21 octobre"
    assert _value(text, "fr", "2021-11", "21 octobre") == "2021-10-21"


# Written sentences.
def test_english_the_21_october_strike() -> None:
    assert _value("the 21 October drone strike on al-Tanf", "en", "2021-11-03", "21 October") == "2021-10-21"


def test_weekday_future_tense() -> None:
    text = "The delegation will meet in Geneva on Monday."
    assert _value(text, "en", "2017-09-21", "Monday") == "2017-09-25"


def test_weekday_only_keeps_month_precision() -> None:
    found = tag("Les combats ont repris mardi près de Deir Ezzor.", "fr", "2021-01")
    assert [(t.value, t.precision) for t in found] == [("2021-01", "month")]


@pytest.mark.parametrize(
    ("text", "lang", "expr", "value", "kind"),
    [
        ("Il y a une semaine, un convoi a été visé.", "fr", "Il y a une semaine", "2017-W37", "DATE"),
        ("Les combats durent depuis quelques jours.", "fr", "quelques jours", "PXD", "DURATION"),
        ("Hier, deux obus sont tombés sur Alep.", "fr", "Hier", "2017-09-20", "DATE"),
        ("The siege lasted three weeks.", "en", "three weeks", "P3W", "DURATION"),
        ("Clashes erupted yesterday near Raqqa.", "en", "yesterday", "2017-09-20", "DATE"),
        ("Troops withdrew last week.", "en", "last week", "2017-W37", "DATE"),
        ("The offensive began in March 2016.", "en", "March 2016", "2016-03", "DATE"),
        ("وقعت الاشتباكات الأسبوع الماضي في ريف حلب.", "ar", "الأسبوع الماضي", "2017-W37", "DATE"),
        ("سيطر عليه التنظيم في أيار 2014.", "ar", "أيار 2014", "2014-05", "DATE"),
        ("وقع الهجوم في ١٥ تشرين الأول ٢٠١٦.", "ar", "تشرين الأول", "2016-10-15", "DATE"),
        ("استمر الحصار ثلاثة أيام.", "ar", "ثلاثة أيام", "P3D", "DURATION"),
        ("أعلن ذلك في 10 رمضان 1438 هـ.", "ar", "رمضان", "2017-06-05", "DATE"),
        ("العراق (العالم) - 08/09/2017 - أعلنت الكتائب أن القوات قصفت مواقعها.", "ar", "08/09/2017",
         "2017-09-08", "DATE"),  # day first, not the year alone
    ],
)
def test_expressions(text: str, lang: str, expr: str, value: str, kind: str) -> None:
    found = [t for t in tag(text, lang, "2017-09-21") if expr in t.text or t.text in expr]
    assert found, [t.text for t in tag(text, lang, "2017-09-21")]
    assert (found[0].value, found[0].type) == (value, kind)


def test_not_time_expressions() -> None:
    assert tag("Le président a été reçu. Il may be so.", "fr", "2017-09-21") == []
    assert tag("The 6-year-old boy and 1,988 troops.", "en", "2017-09-21") == []


def test_anchor_inferred_without_publication_date() -> None:
    doc = _doc("The clashes began on 12 March 2020. On Monday, troops crossed the river.", "en", None)
    times = document_times(doc)
    monday = next(t for t in times if t.text == "Monday")
    assert (monday.value, monday.anchor, monday.inferred) == ("2020-03-09", "2020-03-12", True)


def test_stage_and_governing_time() -> None:
    text = ("Konashenkov said government forces control 85 percent of Deir Ezzor. "
            "On Monday, Syrian government troops crossed the Euphrates river. Two soldiers died.")
    doc = next(get_stage("time")({})([_doc(text, "en", "2017-09-21")]))
    for t in doc.times:
        assert doc.text[t.start : t.end] == t.text
    crossed = text.index("crossed")
    assert governing_time(doc, crossed, crossed + 7).value == "2017-09-18"
    died = text.index("died")
    assert governing_time(doc, died, died + 4).value == "2017-09-18"
    said = text.index("said")
    fallback = governing_time(doc, said, said + 4)
    assert (fallback.value, fallback.inferred) == ("2017-09-21", True)


# Written sentences in the style of wire and financial news (anchor: Thursday 2017-09-21).
@pytest.mark.parametrize(
    ("text", "expr", "value", "kind"),
    [
        ("Gunmen attacked the convoy at 10 p.m. Wednesday, police said.", "10 p.m. Wednesday",
         "2017-09-20T22:00", "TIME"),
        ("Negotiations broke off at noon Tuesday.", "noon Tuesday", "2017-09-19T12:00", "TIME"),
        ("Thousands rallied in the square Friday night.", "Friday night", "2017-09-15TNI", "TIME"),
        ("The minister arrived this morning in Damascus.", "this morning", "2017-09-21TMO", "TIME"),
        ("Profit fell in the third quarter of 2016.", "third quarter of 2016", "2016-Q3", "DATE"),
        ("In June last year, the group split.", "June last year", "2016-06", "DATE"),
        ("For the year, volume was flat.", "the year", "2017", "DATE"),
        ("It earned $3 million for the year ended June 30.", "the year", "P1Y", "DURATION"),
        ("The talks are set to resume Monday in Geneva.", "Monday", "2017-09-25", "DATE"),
        ("The decision was announced Tuesday, and they said they will appeal.", "Tuesday",
         "2017-09-19", "DATE"),
        ("The dividend is payable Jan. 2 to holders of record.", "Jan. 2", "2018-01-02", "DATE"),
        ("The ship has been on patrol since March.", "March", "2017-03", "DATE"),
    ],
)
def test_english_news_conventions(text: str, expr: str, value: str, kind: str) -> None:
    found = [t for t in tag(text, "en", "2017-09-21") if expr in t.text or t.text in expr]
    assert found, [t.text for t in tag(text, "en", "2017-09-21")]
    assert (found[0].value, found[0].type) == (value, kind)


def test_year_earlier_follows_the_quarter_unless_the_sentence_is_about_the_year() -> None:
    text = ("Net income rose 21% in the third quarter, from $2.4 million a year earlier. "
            "In the nine months, net rose 4% from $504 million last year.")
    values = {t.text: t.value for t in tag(text, "en", "2017-10-26")}
    assert values["a year earlier"] == "2016-Q3"
    assert values["last year"] == "2016"


def test_words_that_only_look_like_times() -> None:
    assert tag("The blasts killed 258 people, including 12 Americans.", "en", "1998-08-08") == []
    assert tag("Prices may fall further, analysts said.", "en", "1998-08-08") == []


def test_arabic_trigger_with_a_proclitic() -> None:
    text = "وقالت المصادر إن القصف الذي بدأ بالأمس تجدد في ريف حلب."
    assert [t.value for t in tag(text, "ar", "2017-09-21")] == ["2017-09-20"]


@pytest.mark.parametrize(("text", "expr", "value"), [
    # the Gregorian and Levantine names of a month, slashed, then the year: one date
    ("نفذت الولايات المتحدة، ليلة الأحد/الإثنين 28 يونيو/ حزيران 2021 ضربات جوية.", "28 يونيو", "2021-06-28"),
    ("قتل ثلاثة جنود يوم 3 آذار/مارس 2020 في هجوم قرب درعا.", "3 آذار", "2020-03-03"),
    # the day as an ordinal word: "the tenth of January"
    ("وفي العاشر من يناير، استعادت القوات السيطرة على محافظة شبوة.", "العاشر", "2022-01-10"),
])
def test_arabic_slashed_months_and_ordinal_days(text: str, expr: str, value: str) -> None:
    assert _value(text, "ar", "2022-01-26", expr) == value


@pytest.mark.parametrize(("text", "lang", "act", "day"), [
    ("نفذت قسد، ليل الأربعاء وحتى صباح اليوم الخميس، حملة دهم واعتقال في حي غويران.", "ar", "حملة", "2022-08-31"),
    ("Les forces spéciales ont mené des raids dans la nuit de mercredi à jeudi près de Hassaké.", "fr", "raids",
     "2022-08-31"),
    ("Les forces spéciales ont mené des raids jeudi près de Hassaké.", "fr", "raids", "2022-09-01"),
])
def test_an_act_told_over_a_range_of_days_is_dated_by_its_first(text: str, lang: str, act: str, day: str) -> None:
    doc = _doc(text, lang, "2022-09-01")
    doc.times = document_times(doc)
    at = text.index(act)
    assert governing_time(doc, at, at + len(act)).value[:10] == day



@pytest.mark.parametrize(("text", "lang", "act", "day"), [
    ("قال مسؤولون ليبيون إن القتال ازداد حدة خلال الساعات الـ24 الماضية قرب طرابلس.", "ar", "القتال", "2019-07-27"),
    ("Fighting around Tripoli intensified over the past 24 hours, officials said.", "en", "Fighting", "2019-07-27"),
    ("Les combats se sont intensifiés au cours des dernières 48 heures au sud de Tripoli.", "fr", "combats",
     "2019-07-27"),
    # how long it lasted, or a span of days, says nothing of when
    ("Fighting around Tripoli lasted 24 hours, officials said.", "en", "Fighting", None),
    ("Fighting around Tripoli intensified over the past 72 hours, officials said.", "en", "Fighting", None),
])
def test_the_past_day_or_two_of_hours_dates_an_act_by_the_report(text: str, lang: str, act: str,
                                                                  day: str | None) -> None:
    doc = _doc(text, lang, "2019-07-27")
    doc.times = document_times(doc)
    at = text.index(act)
    found = governing_time(doc, at, at + len(act))
    assert (None if found is None or found.inferred else found.value) == day


@pytest.mark.parametrize(("text", "lang", "expr", "day"), [
    # the day last spoken of, in an earlier paragraph too, not the publication day
    ("On September 20, the army seized Tibni.\nAt the same day, the SDF launched a military operation.", "en",
     "the same day", "2017-09-20"),
    ("Le 20 septembre, l'armée a pris Tibni.\nLe même jour, les FDS ont lancé une opération.", "fr", "Le même jour",
     "2017-09-20"),
    ("Le 20 septembre, l'armée a pris Tibni. Le lendemain, les FDS ont lancé une opération.", "fr", "Le lendemain",
     "2017-09-21"),
    ("سيطر الجيش على التبني في 20 أيلول. وفي اليوم نفسه أطلقت قسد عملية عسكرية.", "ar", "اليوم نفسه", "2017-09-20"),
    # with no day told before, the publication's
    ("Le lendemain, les FDS ont lancé une opération.", "fr", "Le lendemain", "2017-09-23"),
])
def test_the_same_day_is_the_day_last_spoken_of(text: str, lang: str, expr: str, day: str) -> None:
    doc = _doc(text, lang, "2017-09-22")
    pos = 0
    doc.paragraphs = []
    for line in text.split("\n"):
        doc.paragraphs.append(Paragraph(start=pos, end=pos + len(line), language=lang))
        pos += len(line) + 1
    found = [t for t in document_times(doc) if t.text == expr]
    assert found and found[0].value == day


@pytest.mark.parametrize(("text", "lang", "act"), [
    ("العراق (العالم) - 08/08/2017 - أعلنت كتائب سيد الشهداء أن القوات الأميركية قصفت مواقعها على الحدود.", "ar",
     "قصفت"),
    ("BAGHDAD, Aug. 8, 2017 — The brigades said US forces bombed their positions on the border.", "en", "bombed"),
])
def test_the_dateline_dates_the_report_not_the_act(text: str, lang: str, act: str) -> None:
    doc = _doc(text, lang, "2017-08-08")
    doc.times = document_times(doc)
    assert any(t.value == "2017-08-08" for t in doc.times)  # the dateline is read
    at = text.index(act)
    found = governing_time(doc, at, at + len(act))
    assert found is None or found.inferred  # but it does not date the act
