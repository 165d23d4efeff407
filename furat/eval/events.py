"""`furat eval events`: coded events against gold made with the annotation guide (EVENTS.md).

The gold is JSONL, one page a line: `id`, `language`, `published`, `events` (evidence, mentions,
trigger, plover, mode, acled_subtype, actor1, actor2, places, date, fatalities, injured,
certainty) and `not_events` (evidence, trigger, why). furat runs its pipeline on the pages (a
JSONL of pages with the same ids, or a folder of files named after them) and each of its events is
matched to the gold:

- a furat event *matches* a gold event when its evidence overlaps the gold's evidence or one of
  its mentions and the PLOVER types agree; the first furat event matched to a gold event is its
  record, later ones are duplicates (they count for precision, not for strict precision);
- a furat event that matches nothing but whose trigger sits on a `not_events` trap codes the trap;
- fields are compared on each gold event's record.

Texts are compared after folding case, accents, Arabic letter variants and spacing, because
furat's ingest cleans pages (quotes, spaces) before the pipeline sees them.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from furat.eval.common import EvalResult
from furat.model import Document, Event

T = TypeVar("T")

FIELDS = (
    "type",
    "mode",
    "acled_subtype",
    "actor1",
    "actor2",
    "place",
    "date",
    "fatalities",
    "injured",
    "certainty",
)
TOLLS = ("fatalities", "injured")
MIN_CONTAINED_WORDS = 3
OVERLAP_SHARE = 0.6


# -- text comparison ----------------------------------------------------------------------------


def words(text: str | None) -> list[str]:
    """Folded word tokens: what two copies of one sentence share however they were cleaned."""
    from furat.geo.normalize import fold

    return re.findall(r"\w+", fold(text or ""))


def overlaps(a: str | None, b: str | None) -> bool:
    """True when two stretches of text are the same sentence or clause, or one holds the other."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    sa, sb = " " + " ".join(wa) + " ", " " + " ".join(wb) + " "
    short, long_ = (sa, sb) if len(wa) <= len(wb) else (sb, sa)
    if min(len(wa), len(wb)) >= MIN_CONTAINED_WORDS and short in long_:
        return True
    common = len(set(wa) & set(wb))
    return common >= MIN_CONTAINED_WORDS and common / min(len(set(wa)), len(set(wb))) >= OVERLAP_SHARE


def same_word(a: str | None, b: str | None) -> bool:
    """Trigger words that are one: a shared word, or one the inflection of the other ("frappe",
    "frappes"; "قصف", "بقصف")."""
    wa, wb = words(a), words(b)
    for x in wa:
        for y in wb:
            if (
                x == y
                or (min(len(x), len(y)) >= 3 and (x in y or y in x))
                or (min(len(x), len(y)) >= 5 and x[:5] == y[:5])
            ):
                return True
    return False


# -- gold ---------------------------------------------------------------------------------------


@dataclass
class GoldPage:
    id: str
    language: str
    published: str | None
    events: list[dict[str, Any]]
    not_events: list[dict[str, Any]]
    claims: list[dict[str, Any]] = field(default_factory=list)  # CLAIMS.md, scored by eval.claims
    disputes: list[dict[str, Any]] = field(default_factory=list)


def read_gold(paths: Iterable[Path]) -> list[GoldPage]:
    pages = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                pages.append(
                    GoldPage(
                        d["id"],
                        d.get("language") or "?",
                        d.get("published"),
                        d.get("events", []),
                        d.get("not_events", []),
                        d.get("claims", []),
                        d.get("disputes", []),
                    )
                )
    return pages


def page_key(doc: Document, ids: set[str]) -> str | None:
    """The gold page a document came from: its JSONL id, or the stem of its file."""
    if doc.id in ids:
        return doc.id
    stem = Path(doc.source).stem
    return stem if stem in ids else None


def by_page(docs: Iterable[Document], ids: set[str], items: Callable[[Document], Iterable[T]]
            ) -> tuple[dict[str, list[T]], list[str]]:
    """What `items` gives for each gold page's documents (a page may be split in several), and the
    gold pages no document came from."""
    found: dict[str, list[T]] = defaultdict(list)
    seen: set[str] = set()
    for doc in docs:
        key = page_key(doc, ids)
        if key is not None:
            seen.add(key)
            found[key].extend(items(doc))
    return found, sorted(ids - seen)


# -- field comparison ---------------------------------------------------------------------------

_BRACKET = re.compile(r"\[([^\]]*)\]")


def _actor_ok(gold: str | None, actor: Any, lang: str) -> bool:
    if not gold:
        return actor is None
    if actor is None:
        return False
    # "les agents pro-américains [mobilisés par les FDS]", "SDF; Asayish": any named part
    parts = [p for p in re.split(r";|\[|\]", gold) if p.strip()]
    names = {n for p in parts for n in _canonical(p, lang)}
    if actor.name and actor.name in names:
        return True
    return any(
        overlaps(actor.text, p) or (len(words(actor.text)) <= 3 and _word_in(actor.text, p)) for p in parts
    )


def _word_in(short: str, long_: str) -> bool:
    ws, wl = words(short), words(long_)
    return bool(ws) and " ".join(ws) in " ".join(wl)


def _canonical(text: str, lang: str) -> set[str]:
    from furat.actors.resolve import shared_resolver

    resolver = shared_resolver()
    langs = ["ar"] if re.search(r"[\u0600-\u06FF]", text) else [lang if lang in ("en", "fr") else "en"]
    return {resolver.kb.records[m.record].name for la in langs for m in resolver.find(text, la)}


def _place_ok(gold: list[str], event: Event) -> bool:
    place = event.place
    if not gold:
        return place is None
    if place is None:
        return False
    from furat.geo.normalize import name_key

    mine = {name_key(place.text), name_key(place.name or "")} - {""}
    return any(name_key(g) in mine or _word_in(place.text, g) or _word_in(g, place.text) for g in gold)


def field_ok(name: str, gold: dict[str, Any], event: Event, lang: str) -> bool:
    if name == "type":
        return event.type == gold["plover"]
    if name == "mode":
        return (event.mode or None) == (gold.get("mode") or None)
    if name == "acled_subtype":
        return (event.acled_subtype or None) == (gold.get("acled_subtype") or None)
    if name in ("actor1", "actor2"):
        return _actor_ok(gold.get(name), getattr(event, name), lang)
    if name == "place":
        return _place_ok(gold.get("places") or [], event)
    if name == "date":
        return (event.date or None) == (gold.get("date") or None)
    if name in ("fatalities", "injured"):
        return getattr(event, name) == gold.get(name)
    if name == "certainty":
        return event.certainty == gold.get("certainty")
    raise ValueError(name)


# -- matching -----------------------------------------------------------------------------------


@dataclass
class PageScore:
    language: str
    gold: int = 0
    coded: int = 0
    matched: int = 0  # furat events matching some gold event (duplicates included)
    found: int = 0  # gold events with a record
    traps: int = 0
    traps_coded: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[dict[str, Any]] = field(default_factory=list)


def _texts(gold: dict[str, Any]) -> list[str]:
    return [gold["evidence"], *gold.get("mentions", [])]


def score_page(page: GoldPage, events: list[Event]) -> PageScore:
    s = PageScore(page.language, gold=len(page.events), coded=len(events), traps=len(page.not_events))
    record: dict[int, Event] = {}
    trap_hit: set[int] = set()
    for event in events:
        ev = event.evidence.text if event.evidence else ""
        trig = event.trigger.text if event.trigger else ""
        near = [i for i, g in enumerate(page.events) if any(overlaps(ev, t) for t in _texts(g))]
        typed = [i for i in near if page.events[i]["plover"] == event.type]
        if near:  # type accuracy: how often the right sentence gets the right type
            best = sorted(
                near,
                key=lambda i: (
                    not same_word(trig, page.events[i]["trigger"]),
                    page.events[i]["plover"] != event.type,
                ),
            )[0]
            s.fields["type"][0] += page.events[best]["plover"] == event.type
            s.fields["type"][1] += 1
        if typed:
            typed.sort(
                key=lambda i: (
                    i in record,
                    not overlaps(ev, page.events[i]["evidence"]),
                    not same_word(trig, page.events[i]["trigger"]),
                )
            )
            s.matched += 1
            i = typed[0]
            if i not in record:
                record[i] = event
            else:
                s.errors.append(
                    {"kind": "duplicate", "of": page.events[i]["evidence"][:160], **_brief(event)}
                )
            continue
        traps = [
            j
            for j, t in enumerate(page.not_events)
            if overlaps(ev, t["evidence"]) and same_word(trig, t["trigger"])
        ]
        if traps:
            trap_hit.update(traps)
            why = page.not_events[traps[0]]["why"]
            s.errors.append({"kind": f"trap:{why}", **_brief(event)})
        else:
            s.errors.append({"kind": "false", **_brief(event)})
    s.traps_coded = len(trap_hit)
    s.found = len(record)
    for i, gold in enumerate(page.events):
        if i not in record:
            s.errors.append(
                {
                    "kind": "missed",
                    "plover": gold["plover"],
                    "trigger": gold["trigger"],
                    "evidence": gold["evidence"][:200],
                }
            )
            continue
        event = record[i]
        for name in FIELDS[1:]:
            if name in TOLLS and gold.get(name) is None and getattr(event, name) is None:
                continue  # tolls are scored where one side states a number, not on "none, none"
            ok = field_ok(name, gold, event, page.language)
            s.fields[name][0] += ok
            s.fields[name][1] += 1
            if not ok:
                s.errors.append(
                    {
                        "kind": f"field:{name}",
                        "gold": _gold_value(name, gold),
                        "furat": _value(name, event),
                        "trigger": gold["trigger"],
                        "evidence": gold["evidence"][:160],
                    }
                )
    return s


def _brief(event: Event) -> dict[str, Any]:
    return {
        "plover": event.type,
        "trigger": event.trigger.text if event.trigger else None,
        "evidence": (event.evidence.text if event.evidence else "")[:200],
    }


def _gold_value(name: str, gold: dict[str, Any]) -> Any:
    return {"type": gold["plover"], "place": gold.get("places")}.get(name, gold.get(name))


def _value(name: str, event: Event) -> Any:
    value = event.type if name == "type" else getattr(event, name)
    if name in ("actor1", "actor2") and value is not None:
        return f"{value.text} = {value.name}"
    if name == "place" and value is not None:
        return value.text
    return value


# -- totals -------------------------------------------------------------------------------------


def _row(label: str, scores: list[PageScore]) -> dict[str, Any]:
    gold = sum(s.gold for s in scores)
    coded = sum(s.coded for s in scores)
    matched = sum(s.matched for s in scores)
    found = sum(s.found for s in scores)
    traps = sum(s.traps for s in scores)
    # precision counts every record that matches a gold event (duplicates too), recall every gold
    # event that has a record
    p = matched / coded if coded else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    row: dict[str, Any] = {
        "set": label,
        "pages": len(scores),
        "gold": gold,
        "coded": coded,
        "precision": p,
        "recall": r,
        "f1": f,
        "strict_precision": found / coded if coded else 0.0,
        "traps_coded": sum(s.traps_coded for s in scores) / traps if traps else 0.0,
    }
    for name in FIELDS:
        ok = sum(s.fields[name][0] for s in scores)
        n = sum(s.fields[name][1] for s in scores)
        row[name] = ok / n if n else 0.0
    return row


def evaluate(gold_paths: list[Path], docs: Iterable[Document], errors_out: Path | None = None) -> EvalResult:
    """Score the events of `docs` (already through the pipeline) against the gold pages."""
    pages = read_gold(gold_paths)
    events, missing = by_page(docs, {p.id for p in pages}, lambda doc: doc.events)
    scores = [score_page(p, events.get(p.id, [])) for p in pages]
    by_lang: dict[str, list[PageScore]] = defaultdict(list)
    for s in scores:
        by_lang[s.language].append(s)
    rows = [_row(lang, by_lang[lang]) for lang in sorted(by_lang)] + [_row("all", scores)]
    if errors_out is not None:
        with errors_out.open("w", encoding="utf-8") as f:
            for page, s in zip(pages, scores, strict=True):
                for e in s.errors:
                    f.write(json.dumps({"page": page.id, **e}, ensure_ascii=False, default=str) + "\n")
    summary = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in rows[-1].items() if k != "set"}
    summary["per_language"] = {
        r["set"]: {k: round(v, 4) if isinstance(v, float) else v for k, v in r.items() if k != "set"}
        for r in rows[:-1]
    }
    summary["pages_without_documents"] = missing
    table_rows = [{k: v for k, v in r.items() if k not in ("pages",)} for r in rows]
    return EvalResult("Events against gold (EVENTS.md)", table_rows, summary)
