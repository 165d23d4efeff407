"""The stage registry and pipeline: config-driven, batched, each stage runnable alone."""

from __future__ import annotations

import pytest

from furat.config import load_config
from furat.model import Document, content_id
from furat.pipeline import Pipeline, UnknownStageError, available_stages, get_stage, stage


def make_doc(text: str) -> Document:
    return Document(id=content_id(text), source="test", raw_sha256="0" * 64, text=text)


@stage("test-batch-probe")
def _probe(config):
    seen = config.setdefault("batches", [])

    def run(docs):
        batch = list(docs)
        seen.append(len(batch))
        yield from batch

    return run


def test_defaults_name_the_language_stage():
    config = load_config()
    assert config["pipeline"]["stages"][0] == "language"
    assert "language" in available_stages()


def test_config_file_overrides_defaults(tmp_path):
    path = tmp_path / "furat.toml"
    path.write_text('[pipeline]\nbatch_size = 3\n[language]\nmin_letters = 5\n', encoding="utf-8")
    config = load_config(path)
    assert config["pipeline"]["batch_size"] == 3
    assert config["pipeline"]["stages"][0] == "language"  # untouched keys keep their defaults
    assert config["language"]["min_letters"] == 5


def test_batches_are_bounded():
    shared: dict = {"batches": []}
    pipeline = Pipeline(["test-batch-probe"], {}, batch_size=4)
    pipeline._fns = [get_stage("test-batch-probe")(shared)]
    out = list(pipeline.run(make_doc(f"text {i}") for i in range(10)))
    assert len(out) == 10 and shared["batches"] == [4, 4, 2]


def test_unknown_stage_is_a_clear_error():
    with pytest.raises(UnknownStageError, match="unknown stage 'nope'"):
        Pipeline(["nope"], {})


def test_language_stage_runs_alone():
    run = get_stage("language")({"candidates": ["fr", "en", "ar"]})
    text = "L'armée syrienne a franchi l'Euphrate lundi, encerclant la ville sur trois côtés."
    doc = make_doc(text)
    [out] = list(run([doc]))
    assert out.language == "fr" and out.languages == {"fr": 1.0}
