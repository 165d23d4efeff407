"""The accurate profile's ECB+ pair feature `e5_pair`: contextual vectors of furat's encoder, checked
on real ECB+ dev text (never the test split)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from furat.config import load_config
from furat.encoder.pooling import pieces_in, span_vector

ECB = Path(__file__).resolve().parents[2] / "shared" / "data" / "linking" / "ecbplus_traindev"
DATA = Path(__file__).resolve().parents[1] / "furat" / "data" / "link"


def test_span_vector_pools_the_pieces_a_span_touches():
    offsets = np.array([[0, 3], [4, 7], [7, 9], [10, 10], [10, 15]])  # "The qua|ke", an empty piece
    states = np.arange(10, dtype=np.float32).reshape(5, 2)
    assert pieces_in(offsets, 4, 9).tolist() == [1, 2]
    assert span_vector(offsets, states, [(4, 9)]).tolist() == [3.0, 4.0]
    assert span_vector(offsets, states, [(0, 3), (10, 15)]).tolist() == [4.0, 5.0]
    assert not span_vector(offsets, states, []).any()


def test_only_the_accurate_profile_uses_the_encoder_for_linking():
    assert load_config(profile="fast")["link"]["encoder"] is False
    assert load_config(profile="accurate")["link"]["encoder"] is True


@pytest.fixture(scope="module")
def dev_pairs():
    """Dev mentions, the shipped pair model's vectors, and every pair inside a gold sub-topic."""
    if not (ECB / "barhom2019_setup" / "ECB_Dev_corpus.txt").exists():
        pytest.skip("ECB+ train/dev not available")
    from furat.eval.ecb_context import PairModel, contextual, entity_tokens
    from furat.eval.linking import load_split

    mentions, _, sents = load_split(ECB, "Dev")
    model = PairModel.load(DATA / "ecbplus_e5.npz")
    v = model.vectors(contextual(mentions, sents, entity_tokens(ECB, "Dev")))
    groups: dict[str, list[int]] = {}
    for k, m in enumerate(mentions):
        groups.setdefault(m.doc.split("_")[0] + ("+" if "plus" in m.doc else ""), []).append(k)
    pairs = np.array([(a, b) for idx in groups.values() for x, a in enumerate(idx) for b in idx[x + 1:]])
    same = np.array([mentions[a].chain == mentions[b].chain for a, b in pairs])
    word = np.array([mentions[a].text.lower() == mentions[b].text.lower() for a, b in pairs])
    return model.logits(v, pairs[:, 0], pairs[:, 1]), same, word, pairs


def _auc(score: np.ndarray, label: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(label, score))


def test_e5_pair_ranks_dev_pairs_better_than_the_use_trigger_cosine(dev_pairs):
    # dev pairs inside gold sub-topics: e5_pair AUC 0.890, the fast scorer's USE trigger cosine 0.859
    from furat.eval.linking import encode, load_split

    score, same, _, pairs = dev_pairs
    mentions, _, sents = load_split(ECB, "Dev")
    trig = encode(mentions, sents).trig
    use = (trig[pairs[:, 0]] * trig[pairs[:, 1]]).sum(axis=1)
    assert _auc(score, same) > 0.88
    assert _auc(score, same) > _auc(use, same) + 0.02


def test_e5_pair_sees_some_context_of_the_same_word(dev_pairs):
    # the same trigger word ("arrested", "quake") of two occurrences: string and lemma features cannot
    # separate these pairs; e5_pair does a little (AUC 0.58; the USE ±3-word window, 0.73, does more:
    # the pair model's weights are mostly about which words corefer)
    score, same, word, _ = dev_pairs
    assert word.sum() > 500 and 0 < same[word].mean() < 1
    assert _auc(score[word], same[word]) > 0.55
