"""Persuasion cues: shipped models load offline and score real sentences sensibly; languages
without a model get nothing; the portable model format reproduces scikit-learn; the task metric."""

from __future__ import annotations

import numpy as np
import pytest

from furat.claims.persuasion.linear import LinearTextModel, features, fit_block, from_sklearn
from furat.claims.persuasion.metrics import micro_f1_matrix, span_prf
from furat.claims.persuasion.score import (
    cues_at,
    load_model,
    paragraph_model,
    score_document,
    technique_scores,
)
from furat.model import Document, Paragraph
from furat.pipeline import Pipeline


def make_doc(text: str, lang: str | None, title: str | None = None) -> Document:
    paragraphs = []
    pos = 0
    for block in text.split("\n"):
        paragraphs.append(Paragraph(start=pos, end=pos + len(block), language=lang))
        pos += len(block) + 1
    return Document(id="t", source="-", raw_sha256="-", text=text, language=lang, title=title,
                    paragraphs=paragraphs)


NEUTRAL_EN = "The ministry said the talks would resume in Geneva on Tuesday."
LOADED_EN = ("These bloodthirsty terrorists and their cowardly masters have unleashed a barbaric "
             "massacre on innocent children.")
NEUTRAL_FR = "Le ministère a indiqué que les discussions reprendraient mardi à Genève."
LOADED_FR = ("Ces terroristes sanguinaires et leurs lâches commanditaires ont perpétré un massacre "
             "barbare contre des enfants innocents.")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_paragraph_models_load_with_the_23_techniques(lang):
    model = paragraph_model(lang)
    assert model is not None, f"run scripts/train_persuasion.py (paragraphs_{lang}.npz)"
    assert len(model.labels) == 23 and "Loaded_Language" in model.labels
    assert 0.0 < model.meta["threshold"] < 1.0


@pytest.mark.parametrize("lang,loaded,neutral", [("en", LOADED_EN, NEUTRAL_EN), ("fr", LOADED_FR, NEUTRAL_FR)])
def test_loaded_language_scores_above_a_neutral_news_sentence(lang, loaded, neutral):
    labels, probs = technique_scores(lang, [loaded, neutral])
    j = labels.index("Loaded_Language")
    assert probs[0, j] > probs[1, j] + 0.1
    k = labels.index("Name_Calling-Labeling")
    assert probs[0, k] > probs[1, k]


def test_document_scores_point_into_the_text_and_arabic_gets_none():
    text = f"{NEUTRAL_EN}\n{LOADED_EN}"
    doc = score_document(make_doc(text, "en"), floor=0.05)
    assert doc.persuasion, "the loaded paragraph should carry technique scores"
    for cue in doc.persuasion:
        assert doc.text[cue.start:cue.end] == cue.text and cue.language == "en"
        assert list(cue.scores.values()) == sorted(cue.scores.values(), reverse=True)
    loaded = [c for c in doc.persuasion if c.text == LOADED_EN]
    assert loaded and "Loaded_Language" in loaded[0].scores
    # what a claim whose content lies in the loaded paragraph shows beside it
    start = text.index("barbaric")
    beside = cues_at(doc, doc.span(start, start + len("barbaric massacre")))
    assert beside["Loaded_Language"] == loaded[0].scores["Loaded_Language"]
    assert cues_at(doc, doc.span(0, 5)) == next(
        (c.scores for c in doc.persuasion if c.start == 0), {})

    arabic = make_doc("قالت وزارة الدفاع إن الإرهابيين المجرمين ارتكبوا مجزرة وحشية بحق الأطفال الأبرياء.", "ar")
    arabic = score_document(arabic, floor=0.0)
    assert arabic.persuasion == [] and arabic.credibility is None


def test_unknown_language_is_not_guessed():
    doc = score_document(make_doc(LOADED_EN, None), floor=0.0)
    assert doc.persuasion == []


def test_credibility_only_for_english_and_only_when_asked():
    en = score_document(make_doc(LOADED_EN, "en", title="Massacre"), credibility=True)
    assert en.credibility is not None and 0.0 <= en.credibility <= 1.0
    assert score_document(make_doc(LOADED_EN, "en"), credibility=False).credibility is None
    assert score_document(make_doc(LOADED_FR, "fr"), credibility=True).credibility is None


def test_old_documents_load_without_the_new_fields():
    old = {"id": "x", "source": "-", "raw_sha256": "-", "text": "Some text."}
    doc = Document.model_validate(old)
    assert doc.persuasion == [] and doc.credibility is None


def test_pipeline_stage_runs_by_name():
    pipe = Pipeline.from_config({"persuasion": {"floor": 0.05}}, stages=["persuasion"])
    (doc,) = list(pipe.run([make_doc(LOADED_FR, "fr")]))
    assert doc.persuasion and doc.persuasion[0].language == "fr"


def test_portable_model_reproduces_scikit_learn(tmp_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    texts = ["the army shelled the town", "rebels took the hill", "a cowardly barbaric attack",
             "the evil regime lies again", "talks resume on monday", "the shameful cowardly lies"] * 3
    y = np.array([0, 0, 1, 1, 0, 1] * 3)
    blocks = [fit_block(texts, "word", (1, 2), 1000, min_df=1),
              fit_block(texts, "char_wb", (2, 4), 1000, min_df=1)]
    est = LogisticRegression(C=10).fit(features(blocks, texts), y)
    model = from_sklearn(["loaded"], blocks, [est])
    model.save(tmp_path / "m.npz")
    again = LinearTextModel.load(tmp_path / "m.npz")
    union = FeatureUnion([
        ("w", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1))])
    reference = LogisticRegression(C=10).fit(union.fit_transform(texts), y)
    probe = ["a barbaric cowardly regime", "the town talks"]
    expected = reference.predict_proba(union.transform(probe))[:, 1]
    assert np.allclose(again.scores(probe)[:, 0], expected, atol=2e-3)


def test_span_metric_gives_partial_credit():
    # gold 10-20; prediction 15-25 covers half of gold and half of itself
    p, r, f = span_prf({"a": [(15, 25)]}, {"a": [(10, 20)]})
    assert (p, r, f) == pytest.approx((0.5, 0.5, 0.5))
    assert span_prf({"a": [(0, 5)]}, {"a": [(10, 20)]}) == (0.0, 0.0, 0.0)
    y = np.array([[1, 0], [0, 1]])
    assert micro_f1_matrix(y, np.array([[0.9, 0.1], [0.2, 0.8]]), 0.5) == 1.0


def test_propaganda_models_ship():
    assert load_model("ptc_tc_en.npz") is not None and load_model("ptc_si_en.npz") is not None
