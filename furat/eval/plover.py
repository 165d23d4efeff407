"""`furat eval plover`: PLOVER event types (and source/target countries) on gold records.

Reads the PLOVER gold-standard JSON records (English, from the CAMEO manual) and the Arabic
GSR XML files (ASSAULT and PROTEST sentences). Each record's text goes through furat's configured
pipeline as one document; furat's answer is its first event (asserted or reported ones before
hedged or negated ones). Type accuracy and macro-F1 over the gold types; source and target
country accuracy where the gold names them and furat found an actor.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from furat.eval.common import EvalResult
from furat.model import Document, Event, Paragraph, content_id


@dataclass
class Record:
    text: str
    language: str
    event: str
    source_country: str | None
    target_country: str | None
    version: str = ""  # PLOVER version of the gold ("0.5b1" for the CAMEO-manual GSR)


def in_gold_version(event: Event | None, version: str) -> str:
    """furat's PLOVER 2.0 type as the gold's PLOVER version names it: before 1.0, ACCUSE did not
    exist and its modes were types of their own (ACCUSE/investigate → INVESTIGATE, other
    accusations, criticism and condemnation → DISAPPROVE)."""
    if event is None:
        return "NONE"
    if version.startswith("0.") and event.type == "ACCUSE":
        return "INVESTIGATE" if event.mode == "investigate" else "DISAPPROVE"
    return event.type


def _country(code: str | None) -> str | None:
    code = (code or "").split()[0] if code else ""
    ok = len(code) >= 3 and code[:3].isalpha() and code[:3].isupper() and code != "None"
    return code[:3] if ok else None


def _first_code(actors: object) -> str | None:
    if isinstance(actors, list) and actors and isinstance(actors[0], dict):
        return _country(actors[0].get("code"))
    return None


def read_json(path: Path) -> list[Record]:
    out = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        if not item.get("text") or item.get("event") in (None, "DOCUMENT"):
            continue
        out.append(Record(
            text=item["text"], language=item.get("language") or "en", event=item["event"],
            source_country=_first_code(item.get("source")),
            target_country=_first_code(item.get("target")), version=str(item.get("version") or ""),
        ))
    return out


_SENTENCE = re.compile(r"<Sentence\b[^>]*>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_xml(path: Path) -> list[Record]:
    """Records of an Arabic GSR XML file, read block by block with a tolerant pattern: the files
    are cut short (not well-formed XML), and every complete sentence block still counts."""
    out = []
    text = path.read_text(encoding="utf-8")
    for block in _SENTENCE.finditer(text):
        body = block.group(0)
        head = dict(_ATTR.findall(body.split(">", 1)[0]))
        coding_tag = re.search(r"<EventCoding\b[^>]*>", body)
        coding = dict(_ATTR.findall(coding_tag.group(0))) if coding_tag else {}
        sentence = re.search(r"<Text>(.*?)</Text>", body, re.S)
        event = coding.get("plover") or head.get("category")
        if not sentence or not sentence.group(1).strip() or not event:
            continue
        out.append(Record(
            text=html.unescape(sentence.group(1).strip()), language="ar", event=event,
            source_country=_country(coding.get("sourcecode")),
            target_country=_country(coding.get("targetcode")),
        ))
    return out


def read_records(paths: list[Path]) -> list[Record]:
    records: list[Record] = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".xml":
                records += read_xml(file)
            elif file.suffix in (".txt", ".json"):
                records += read_json(file)
    return records


def main_event(events: list[Event]) -> Event | None:
    """furat's answer for a one-sentence record: the first event that happened (asserted or
    reported), else the first event at all."""
    happened = [e for e in events if e.certainty in ("asserted", "reported")]
    return (happened or events or [None])[0]


def _actor_country(event: Event | None, role: str) -> str | None:
    actor = getattr(event, role, None) if event is not None else None
    return actor.country if actor is not None else None


def evaluate(paths: list[Path]) -> EvalResult:
    from sklearn.metrics import f1_score

    from furat.config import load_config
    from furat.pipeline import Pipeline

    records = read_records(paths)
    config = load_config()
    stages = [s for s in config["pipeline"]["stages"] if s != "language"]
    pipeline = Pipeline.from_config(config, stages)
    docs = (
        Document(id=content_id(r.text), source="gold", raw_sha256="-", text=r.text, language=r.language,
                 languages={r.language: 1.0},
                 paragraphs=[Paragraph(start=0, end=len(r.text), language=r.language)])
        for r in records
    )
    gold, pred, src_ok, src_n, tgt_ok, tgt_n = [], [], 0, 0, 0, 0
    by_lang: dict[str, list[int]] = {}
    for record, doc in zip(records, pipeline.run(docs), strict=True):
        event = main_event(doc.events)
        guess = in_gold_version(event, record.version)
        gold.append(record.event)
        pred.append(guess)
        by_lang.setdefault(record.language, [0, 0])
        by_lang[record.language][0] += guess == record.event
        by_lang[record.language][1] += 1
        if record.source_country and (found := _actor_country(event, "actor1")):
            src_n += 1
            src_ok += found == record.source_country
        if record.target_country and (found := _actor_country(event, "actor2")):
            tgt_n += 1
            tgt_ok += found == record.target_country
    labels = sorted(set(gold))
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold))
    macro = float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0))
    rows = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_gold, n_pred = gold.count(label), pred.count(label)
        rows.append({"type": label, "gold": n_gold, "predicted": n_pred,
                     "precision": tp / n_pred if n_pred else 0.0, "recall": tp / n_gold if n_gold else 0.0})
    summary = {
        "records": len(gold),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro, 4),
        "accuracy_by_language": {k: round(v[0] / v[1], 4) for k, v in by_lang.items()},
        "source_country_accuracy": round(src_ok / src_n, 4) if src_n else None,
        "source_country_n": src_n,
        "target_country_accuracy": round(tgt_ok / tgt_n, 4) if tgt_n else None,
        "target_country_n": tgt_n,
    }
    return EvalResult(title=f"PLOVER event types ({len(gold)} gold records)", rows=rows, summary=summary)
