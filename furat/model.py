"""The document model: the one contract between pipeline stages.

Every stage reads a `Document`, fills the fields it owns and hands it on. Each field is set in
exactly one stage (named in its description). Spans are `start`/`end` character offsets into
`Document.text` (end exclusive). `docs/schema.md` and `furat/data/document.schema.json` are
generated from these classes by `scripts/gen_schema.py`: never edit them by hand.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = "1.0"

Precision = Literal["day", "month", "year"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    """A stretch of `Document.text`: the evidence every extracted field points back to."""

    text: str = Field(description="The covered text, equal to Document.text[start:end].")
    start: int = Field(ge=0, description="Offset of the first character.")
    end: int = Field(ge=0, description="Offset after the last character.")


class Paragraph(_Model):
    """A paragraph of the text and its language (set by the `language` stage)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    language: str | None = Field(
        default=None, description="ISO 639-1 code, or null when too short to tell."
    )


class Entity(Span):
    """A named-entity mention (set by the `entities` stage)."""

    label: str = Field(description="PER, ORG, LOC, ARMED_GROUP, WEAPON, …")
    confidence: float | None = None
    source: str | None = Field(default=None, description="Model or rule that found it.")


class Place(Span):
    """A toponym resolved against the gazetteer (set by the `geo` stage)."""

    name: str | None = Field(default=None, description="Canonical gazetteer name.")
    lat: float | None = None
    lon: float | None = None
    gazetteer_id: str | None = Field(default=None, description="GeoNames id or furat's own.")
    feature: str | None = Field(default=None, description="Feature class/code, e.g. PPL, ADM1.")
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-3, as actors' country.")
    admin1: str | None = None
    admin2: str | None = None
    confidence: float | None = None


class Actor(Span):
    """An actor mention resolved to a canonical actor (set by the `actors` stage)."""

    name: str | None = Field(default=None, description="Canonical actor name.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-3.")
    sector: str | None = Field(default=None, description="PLOVER/CAMEO sector: GOV, MIL, REB…")
    ucdp_id: str | None = None
    parent: str | None = None
    confidence: float | None = None


class TimeExpr(Span):
    """A temporal expression normalised to TIMEX3 (set by the `time` stage)."""

    value: str | None = Field(default=None, description="TIMEX3 value: 2017-09-18, 2017-W37, P3D…")
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"
    anchor: str | None = Field(default=None, description="The value it was resolved against.")
    precision: str | None = None
    inferred: bool = Field(default=False, description="True when the anchor was not the "
                           "publication date but inferred from the text.")


class Event(_Model):
    """One coded event (set by the `events` stage)."""

    type: str = Field(description="PLOVER 2.0 event type, e.g. ASSAULT.")
    mode: str | None = None
    acled_type: str | None = None
    acled_subtype: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    place: Place | None = None
    date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    date_precision: str | None = Field(default=None, description="day, week, month or year.")
    fatalities: int | None = None
    injured: int | None = None
    trigger: Span | None = None
    evidence: Span | None = Field(default=None, description="The first sentence that states it.")
    mentions: list[Span] = Field(default_factory=list, description="Other sentences of the document "
                                 "that retell the same occurrence (headline, recap, quoted statement, toll): "
                                 "one event per occurrence, all its evidence kept.")
    certainty: Literal["asserted", "reported", "hedged", "denied", "negated"] = Field(
        default="asserted", description="asserted (the outlet's voice), reported (attributed), hedged "
        "(told as unconfirmed), denied (told only by a claim that denies it). Acts that did not take "
        "place (future, possible, negated, threatened…) are not events. The claims stage sets it from "
        "the claims that tell the event.")
    reported_by: str | None = Field(default=None, description="Who the event is attributed to, when "
                                    "reported, hedged or denied (the claim's speaker).")
    disputed: bool = Field(default=False, description="Claims of the document differ about it: "
                           "see Document.disputes (set by the claims stage).")
    confidence: float | None = None


Stance = Literal["assert", "deny", "accuse", "warn", "demand", "confirm", "speculate"]
SpeakerKind = Literal["person", "organisation", "state", "outlet", "anonymous", "document"]


class Claim(_Model):
    """Who says what, how sure (set by the `claims` stage, by the guide CLAIMS.md)."""

    speaker: Actor | None = Field(default=None, description="Who says it: the noun phrase as written "
                                  "(\"un porte-parole du Commandement central\", \"مصادر سوريّة\"), with "
                                  "the canonical actor's name, country and sector when the actors stage "
                                  "resolved it; null when the text names nobody.")
    speaker_kind: SpeakerKind | None = None
    cue: Span | None = Field(default=None, description="The reporting word(s): \"a déclaré\", "
                             "\"according to\", \"أكدت\", or the opening quote mark of a bare quote.")
    content: Span = Field(description="What is stated: the quote or the reported clause.")
    stance: Stance = Field(default="assert", description="assert, deny, accuse, warn (threaten), demand, "
                           "confirm or speculate.")
    hedged: bool = Field(default=False, description="The text marks it unconfirmed or uncertain.")
    hedge: Span | None = Field(default=None, description="The words that hedge it (\"auraient\", "
                               "\"allegedly\", \"n'est pas confirmée\").")
    via: Span | None = Field(default=None, description="The outlet through which the speaker reaches the "
                             "text (\"des sources … à Al-Mayadeen\").")
    about: list[int] = Field(default_factory=list, description="Indices in Document.events of the events "
                             "this claim reports, denies or accuses.")
    confidence: float | None = None


class Version(_Model):
    """One side of a dispute: a claim and what it says about the disputed event."""

    claim: int = Field(ge=0, description="Index in Document.claims.")
    speaker: str | None = None
    value: str | None = Field(default=None, description="What this side says on the disputed point "
                              "(an actor, a toll, a date, a place, or asserted/denied).")


class Dispute(_Model):
    """Claims of one document that differ about one event (set by the `claims` stage)."""

    event: int = Field(ge=0, description="Index in Document.events of the disputed event.")
    on: Literal["actor", "toll", "date", "place", "occurred"] = Field(
        description="What the versions differ on: who did it, how many were hurt, when, where, or "
        "whether it took place (one asserts, another denies).")
    versions: list[Version] = Field(default_factory=list)


class PersuasionCue(Span):
    """A paragraph's persuasion techniques as model scores, never verdicts (set by the
    `persuasion` stage): a reader weighs them beside the claims."""

    language: str = Field(description="Language of the model that scored it (fr or en).")
    scores: dict[str, float] = Field(default_factory=dict, description="SemEval-2023 technique "
                                     "name → probability (0–1), those at or above the stage's floor, "
                                     "highest first.")


class Document(_Model):
    """One news article, as it travels through the pipeline."""

    schema_version: str = Field(default=SCHEMA_VERSION)
    id: str = Field(description="Stable hash of the text (or the id given in a JSONL input).")
    source: str = Field(description="Input path, URL or '-' for stdin.")
    raw_sha256: str = Field(description="SHA-256 of the raw input bytes this document came from; "
                            "the raw input is kept by the store under this key.")
    part: int = Field(default=0, ge=0, description="Index of this document within its input "
                      "(a page holding several articles gives parts 0, 1, 2…).")
    outlet: str | None = Field(default=None, description="Publishing outlet. Set by ingest.")
    url: str | None = None
    title: str | None = Field(default=None, description="Headline. Set by ingest.")
    author: str | None = Field(default=None, description="Byline. Set by ingest.")
    published: str | None = Field(
        default=None,
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="ISO date YYYY-MM-DD, or YYYY-MM / YYYY when only that is known; null when "
        "unknown, never invented. Set by ingest.",
    )
    published_precision: Precision | None = None
    published_source: (
        Literal["input", "html-meta", "text", "page", "embedded-post"] | None
    ) = Field(
        default=None,
        description="Where the date came from: a field of the input, HTML metadata, a date line "
        "of the article, the date line of the page holding it, or (weak hint) the date of a post "
        "quoted in it.",
    )
    published_raw: str | None = Field(
        default=None,
        description="The publication date exactly as the input's field gave it (a JSONL record's "
        "\"date\"), kept whether or not it could be read. Set by ingest.",
    )
    language: str | None = Field(
        default=None, description="ISO 639-1 of the main language. Set by the language stage."
    )
    languages: dict[str, float] = Field(
        default_factory=dict, description="Share of the text's letters per language."
    )
    paragraphs: list[Paragraph] = Field(default_factory=list)
    text: str
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    times: list[TimeExpr] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    persuasion: list[PersuasionCue] = Field(default_factory=list, description="Paragraphs scored "
                                            "for persuasion techniques (fr, en). Set by the persuasion "
                                            "stage.")
    credibility: float | None = Field(default=None, ge=0, le=1, description="Probability that the "
                                      "article is credible, learnt from FA-KES (English only; a weak "
                                      "signal, see docs/QUALITY.md). Set by the persuasion stage.")
    disputes: list[Dispute] = Field(default_factory=list, description="Events the document's claims "
                                    "disagree about, with each version (set by the claims stage).")
    # spaCy parses of sentences (sentence start → Doc) left by the events stage for later stages,
    # so that no sentence is parsed twice; never serialised
    _parses: dict[int, Any] = PrivateAttr(default_factory=dict)

    def span(self, start: int, end: int) -> Span:
        """A `Span` over this document's text, its `text` taken from the offsets."""
        return Span(text=self.text[start:end], start=start, end=end)

    def segments(self, default_lang: str) -> list[tuple[int, int, str]]:
        """(start, end, language) of each paragraph (the whole text when there are none), the
        language falling back to the document's, then to `default_lang`: how stages split work."""
        if self.paragraphs:
            return [(p.start, p.end, p.language or self.language or default_lang) for p in self.paragraphs]
        return [(0, len(self.text), self.language or default_lang)]


def content_id(text: str) -> str:
    """Stable id of a text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
