"""ACLED sub-event classifier (furat.events.acled): codebook cues and the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

from furat.events.acled import classify, cue_features, cue_patterns, load_model, subtypes

SNIPPETS = Path(__file__).resolve().parents[2] / "shared/data/events/case2021_acled_types/snippets.tsv"


def test_cue_groups_tell_protest_policing_apart():
    patterns = tuple(cue_patterns())
    assert len(patterns) >= 20
    dispersed, peaceful = cue_features(
        ["Police fired tear gas to disperse the protesters.", "Teachers marched peacefully in the capital."],
        patterns,
    )
    assert dispersed.sum() > 0 and peaceful.sum() > 0
    assert (dispersed != peaceful).any()


def test_shipped_model_keeps_its_cues_and_labels():
    model = load_model()
    assert model is not None
    assert model["cues"] == tuple(cue_patterns())  # retrain (scripts/train_acled.py) after editing en.toml
    assert set(subtypes()) - {"Other"} <= {str(c) for c in model["svc"].classes_}


def test_classifies_clear_english_sentences():
    sentences = {
        "A suicide bomber blew himself up at a mosque in Quetta, killing 20 worshippers.": "Suicide bomb",
        "A man threw a hand grenade at a police station in Srinagar.": "Grenade",
        "Police arrested six opposition activists in Algiers on Tuesday.": "Arrests",
        "The two sides signed a ceasefire agreement in Khartoum.": "Agreement",
        "Syrian warplanes struck a market in Idlib, killing 12 civilians.": "Air/drone strike",
    }
    assert classify(list(sentences)) == list(sentences.values())


def test_reads_scored_and_unseen_snippets():
    if not SNIPPETS.is_file():
        pytest.skip("CASE-2021 task-2 snippets absent")
    from furat.eval.acled import read_snippets

    texts, labels = read_snippets(SNIPPETS)
    every, every_labels = read_snippets(SNIPPETS, unseen=True)
    assert len(texts) == 498 and len(set(labels)) == 25
    assert len(every) > len(texts) and "NATURAL_DISASTER" in every_labels
