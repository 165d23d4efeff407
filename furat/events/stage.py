"""The `events` stage: `Document.events` from triggers, actors, places and times."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from furat.events.extract import extract_events, prepare
from furat.events.lexicon import lexicon
from furat.model import Document
from furat.pipeline import batched, stage


@stage("events")
def make_events_stage(config: dict[str, Any]):
    for language in config.get("languages", ["en", "fr", "ar"]):
        lexicon(language)  # compile the rules once, up front

    # The CASE-2021 sub-event classifier reads one sentence; on whole pages it overrode the
    # trigger's own sub-event with worse ones (dev gold: ACLED subtype 0.71 with it, see QUALITY.md)
    # false, true (the SVM) or "blend" (the SVM with the encoder head: accurate profile only)
    choice = config.get("acled_classifier", False)
    if choice not in (False, True, "svm", "blend"):
        raise ValueError(f"[events] acled_classifier must be false, true, 'svm' or 'blend', not {choice!r}")
    classify: bool | str = "blend" if choice == "blend" else bool(choice)
    policy = config.get("decision", "rules")
    bar = config.get("decision_threshold", 0.5)  # one for all languages, or {language: threshold}
    threshold = {k: float(v) for k, v in bar.items()} if isinstance(bar, dict) else float(bar)

    batch_size = int(config.get("parse_batch", 16))

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for batch in batched(docs, batch_size):
            for doc, prepared in zip(batch, prepare(batch), strict=True):
                doc.events = extract_events(doc, classify=classify, policy=policy, threshold=threshold,
                                            prepared=prepared)
                doc._parses = prepared[1]  # the claims stage reads the same parses
                yield doc

    return run
