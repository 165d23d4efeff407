"""The entities stage: packaged spaCy models (fr, en), furat's Arabic model, gazetteers, routing."""

from __future__ import annotations

from pathlib import Path

import pytest

from furat.entities.gazetteer import armed_groups, weapons
from furat.entities.stage import make_entities_stage
from furat.eval.ner import _from_tokens, newsfane_tag, score
from furat.model import Document, Paragraph

AR_MODEL = Path(__file__).resolve().parent.parent / "furat" / "data" / "entities" / "ar_crf"


@pytest.fixture(scope="module")
def run():
    stage = make_entities_stage({})

    def _run(paragraphs: list[tuple[str, str]]) -> Document:
        text, paras = "", []
        for para, lang in paragraphs:
            paras.append(Paragraph(start=len(text), end=len(text) + len(para), language=lang))
            text += para + "\n\n"
        doc = Document(id="t", source="test", raw_sha256="", text=text, paragraphs=paras)
        return next(iter(stage([doc])))

    return _run


def labels(doc: Document) -> dict[str, str]:
    return {e.text: e.label for e in doc.entities}


def test_weapon_lexicon_and_designations():
    text = ("la Russie a doté sa base de Su-35 et de S-400, et les hélicoptères Mil-25 ont escorté les "
            "blindés ; les États-Unis ont envoyé des HIMARS et des drones Ababil-3.")
    found = {text[s:e]: lab for s, e, lab in weapons(text, "fr")}
    assert found["Su-35"] == "MIL_PLATFORM" and found["S-400"] == "WEAPON"
    assert found["Mil-25"] == "MIL_PLATFORM" and found["HIMARS"] == "MIL_PLATFORM"
    assert found["Ababil-3"] == "MIL_PLATFORM" and found["drones"] == "MIL_PLATFORM"
    assert "Russie" not in found


def test_arabic_weapons_keep_clitics_outside():
    text = "وقصفت طائرات مسيرة المدينة بالصواريخ"
    found = {text[s:e] for s, e, _ in weapons(text, "ar")}
    assert {"طائرات مسيرة", "صواريخ"} <= found


def test_armed_groups_from_actor_kb():
    text = "Les FDS et les blindés russes ont repoussé Daech, selon l'ONU."
    found = {text[s:e] for s, e, _ in armed_groups(text, "fr")}
    assert found == {"FDS", "blindés russes", "Daech"}  # the UN is an actor, not an armed group


def test_french_paragraph(run):
    doc = run([("Le président Bachar al-Assad a reçu à Damas une délégation de l'Organisation des "
                "Nations unies, tandis que les Forces démocratiques syriennes recevaient des HIMARS.", "fr")])
    lab = labels(doc)
    assert lab.get("Bachar al-Assad") == "PER"
    assert lab.get("Damas") == "LOC"
    assert lab.get("Forces démocratiques syriennes") == "ARMED_GROUP"
    assert lab.get("HIMARS") == "MIL_PLATFORM"
    for e in doc.entities:
        assert doc.text[e.start : e.end] == e.text


def test_actors_stage_reuses_the_entities_resolution(run, monkeypatch):
    from furat.actors.resolve import Resolver, shared_resolver
    from furat.actors.stage import make_actors_stage

    shared_resolver().clear_cache()
    doc = run([("Les Forces démocratiques syriennes (FDS) ont repoussé Daech près de Raqqa.", "fr"),
               ("Selon Damas, les FDS et les blindés russes ont avancé vers Deir ez-Zor.", "fr")])
    armed = {(e.start, e.end) for e in doc.entities if e.label == "ARMED_GROUP"}
    assert {doc.text[s:e] for s, e in armed} >= {"Forces démocratiques syriennes", "Daech", "FDS",
                                                  "blindés russes"}

    def no_second_pass(*args, **kwargs):
        raise AssertionError("the actors stage matched the text again")

    monkeypatch.setattr(Resolver, "find", no_second_pass)
    doc = next(iter(make_actors_stage({})([doc])))
    spans = {(a.start, a.end) for a in doc.actors}
    assert armed <= spans  # both stages agree: every armed group is an actor mention
    assert any(a.text == "Damas" and a.sector == "GOV" for a in doc.actors)


def test_paragraph_language_picks_the_model(run):
    doc = run([("President Vladimir Putin met Recep Tayyip Erdogan in Sochi on Tuesday.", "en"),
               ("Le ministre français Jean-Yves Le Drian s'est rendu à Bagdad.", "fr")])
    by_text = {e.text: e for e in doc.entities}
    putin = [e for e in doc.entities if "Vladimir Putin" in e.text]  # re3d style keeps "President"
    assert putin and putin[0].label == "PER" and "en_core" in putin[0].source
    assert by_text["Sochi"].label == "LOC"
    assert by_text["Bagdad"].label == "LOC" and "fr_core" in by_text["Bagdad"].source


@pytest.mark.skipif(not AR_MODEL.exists(), reason="Arabic model not trained (scripts/train_ner_ar.py)")
def test_arabic_model_and_gazetteer(run):
    doc = run([("وقال الرئيس الروسي فلاديمير بوتين في موسكو إن قوات سوريا الديمقراطية تسيطر على "
                "حقول النفط في سوريا.", "ar")])
    lab = labels(doc)
    assert lab.get("قوات سوريا الديمقراطية") == "ARMED_GROUP"
    assert any(e.label == "LOC" for e in doc.entities)
    assert any(e.source == "ar_crf" for e in doc.entities)


def test_arabic_crf_tokens_and_spans():
    """NewsFANE's convention: the conjunction و is split off when the rest is a known word or
    starts with the article; spans come back as character offsets of the raw text."""
    from furat.entities.arabic_crf import bio_spans, load, tokenize

    text = "ووصل الوفد إلى بغداد والموصل، وقال وزير الخارجية الفرنسي إن الوضع صعب."
    words = [text[s:e] for s, e in tokenize(text, frozenset({"وصل"}))]
    assert words[:2] == ["و", "وصل"] and "و" in words and "الموصل" in words and "،" in words
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG")]
    found = {text[s:e]: lab for s, e, lab in load(str(AR_MODEL)).spans(text)}
    assert found.get("بغداد") == "LOC" and found.get("الموصل") == "LOC"


def test_arabic_multiword_places_win_over_the_crf(run):
    """The CRF never saw "دير الزور" in NewsFANE; the place list's multi-word names override it,
    but not inside a longer model span."""
    doc = run([("وقعت اشتباكات عنيفة في ريف دير الزور الشرقي قرب بلدة الميادين.", "ar")])
    assert labels(doc).get("دير الزور") == "LOC"


def test_bio_to_spans_and_newsfane_mapping():
    text, spans = _from_tokens(["قال", "باراك", "أوباما", "في", "واشنطن"],
                               ["O", "B-PER", "I-PER", "O", "B-LOC"])
    assert [text[s:e] for s, e, _ in spans] == ["باراك أوباما", "واشنطن"]
    assert newsfane_tag("B-Population-Center") == "B-LOC" and newsfane_tag("I-Politician") == "I-PER"
    assert newsfane_tag("B-Group") == "B-PER" and newsfane_tag("B-Book") == "O"


def test_score_exact_spans():
    gold = [{(0, 5, "PER"), (10, 15, "LOC")}]
    pred = [{(0, 5, "PER"), (10, 14, "LOC")}]
    result = score(gold, pred, ["PER", "LOC"])
    assert result.summary["precision"] == 0.5 and result.summary["recall"] == 0.5
    assert result.summary["per_type"] == {"PER": 1.0, "LOC": 0.0}


NEWSFANE = Path(__file__).resolve().parents[2] / "shared/data/entities/newsfane_ar/NewsFANE_Gold_2014_170K.txt"
RE3D = Path(__file__).resolve().parents[2] / "shared/data/entities/re3d"


@pytest.mark.skipif(not NEWSFANE.exists(), reason="NewsFANE not available")
def test_newsfane_split_is_disjoint_and_mapped():
    from furat.eval.ner import newsfane_split, read_newsfane

    sents = read_newsfane(NEWSFANE)
    train, dev, test = (newsfane_split(sents, p) for p in ("train", "dev", "test"))
    assert len(train) + len(dev) + len(test) == len(sents) > 2500
    assert test[0] is sents[len(train) + len(dev)]
    tags = {t for _, ts in sents for t in ts}
    assert tags <= {"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"}
    assert not any("\u200e" in w for ws, _ in sents for w in ws)


@pytest.mark.skipif(not RE3D.exists(), reason="re3d not available")
def test_re3d_reader_offsets():
    from furat.eval.ner import read_re3d

    docs = read_re3d(RE3D / "CENTCOM")
    assert docs and all(0 <= s < e <= len(text) for text, spans in docs for s, e, _ in spans)
    assert any(text[s:e] == "Coalition" for text, spans in docs for s, e, lab in spans if lab == "Organisation")


def test_english_place_names_lose_their_article(run):
    text = ("The United States said on Monday that its forces in the Middle East would stay, while "
            "the Netherlands recalled its ambassador from Damascus.")
    doc = run([(text, "en")])
    places = {e.text for e in doc.entities if e.label == "LOC"}
    assert "United States" in places and "Netherlands" in places
    assert not any(p.lower().startswith("the ") for p in places)
    assert "Damascus" in places
