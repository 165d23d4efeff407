"""Persuasion cues: per-paragraph persuasion-technique scores (SemEval-2020/2023 data, fr/en) and
a document credibility score (FA-KES, en). Scores shown beside the claims, never verdicts."""

from furat.claims.persuasion.score import cues_at, score_document

__all__ = ["cues_at", "score_document"]
