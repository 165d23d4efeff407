"""Hard-wrapped wire copy is read as whole sentences; other pages keep their lines."""

from __future__ import annotations

from pathlib import Path

from furat.config import load_config
from furat.ingest.build import IngestOptions, documents
from furat.ingest.unwrap import is_hard_wrapped, unwrap
from furat.pipeline import Pipeline
from furat.report import Reporter

# Written in the style of an agency wire cut at ~65 characters (no blank lines, one break per line).
WIRE = """AMMAN, March 3 Islamic State fighters have captured two
villages south of Deir al-Zor and are holding about twenty
soldiers after a night of clashes with the army, a monitoring
group said on Tuesday.
The Syrian army said its aircraft struck the militants near
the city of Mayadin, killing dozens of them, but the claim
could not be independently verified.
The fighting began on Sunday when the group attacked army
positions along the highway to Palmyra.
"""

MENU = """Home
World
Middle East
Syria: army takes back two villages
Share this article
Most read
"""


def test_a_wire_cut_at_its_width_is_read_as_sentences():
    assert is_hard_wrapped(WIRE)
    lines = unwrap(WIRE).splitlines()
    assert len(unwrap(WIRE)) == len(WIRE)
    assert lines[0].startswith("AMMAN, March 3 Islamic State fighters have captured two villages")
    assert lines[0].endswith("a monitoring group said on Tuesday.")
    assert len(lines) == 3 and lines[2].startswith("The fighting began on Sunday")


def test_pages_not_wrapped_keep_their_lines():
    assert not is_hard_wrapped(MENU) and unwrap(MENU) == MENU
    arabic = "\n".join(["قالت مصادر ميدانية إن الجيش السوري سيطر على قريتين"] * 8)
    assert unwrap(arabic) == arabic
    paragraphs = "\n".join([
        "The army said on Tuesday it had retaken two villages south of Deir al-Zor after clashes.",
        "Residents said the fighting lasted through the night and that many families had fled.",
        "A monitoring group put the toll at 14 dead, most of them fighters of the group.",
    ] * 3)
    assert unwrap(paragraphs) == paragraphs


def test_the_doer_of_a_wrapped_sentence_is_found(tmp_path: Path):
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    config = load_config()
    [doc] = documents([str(tmp_path / "wire.txt")], IngestOptions.from_config(config["ingest"]), Reporter())
    assert doc.text.startswith("AMMAN, March 3 Islamic State fighters have captured two villages south")
    [doc] = Pipeline.from_config(config).run([doc])
    captured = [e for e in doc.events if e.trigger and e.trigger.text.startswith("captured")]
    assert captured and captured[0].actor1 is not None and captured[0].actor1.name == "Islamic State"
