"""Inputs that used to lose a run or its text (issue 15): a huge paragraph, a stage failing on one
document, day-first dates in JSONL, deep or sloppy HTML, zero-width characters, a large stdin."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from furat.ingest.bound import MAX_PARAGRAPH_CHARS, bound_paragraphs, cap_length
from furat.ingest.build import IngestOptions, documents
from furat.ingest.html import page_text
from furat.ingest.read import read_stdin
from furat.model import Document
from furat.pipeline import Pipeline, stage
from furat.report import Reporter
from tests.conftest import run_cli

SENTENCE = ("L'armée syrienne a repoussé mercredi une attaque lancée par des hommes armés près de "
            "Deir Ezzor, a indiqué une source militaire. ")


def ingest(paths: list[Path], **options) -> tuple[list[Document], Reporter]:
    report = Reporter(stream=io.StringIO())
    docs = list(documents([str(p) for p in paths], IngestOptions(**options), report))
    return docs, report


def assert_bounded(doc: Document, max_doc_chars: int) -> None:
    assert 0 < len(doc.text) <= max_doc_chars
    for p in doc.paragraphs:
        piece = doc.text[p.start:p.end]
        assert 0 < len(piece) <= MAX_PARAGRAPH_CHARS
        assert piece == piece.strip()


# 1. One huge paragraph --------------------------------------------------------------------------

def test_huge_line_and_huge_jsonl_record_are_cut_and_bounded(tmp_path):
    line = SENTENCE * (1_200_000 // len(SENTENCE))
    (tmp_path / "huge.txt").write_text(line, encoding="utf-8")
    (tmp_path / "big.jsonl").write_text(json.dumps({"text": line}) + "\n", encoding="utf-8")
    docs, report = ingest([tmp_path / "huge.txt", tmp_path / "big.jsonl"], max_doc_chars=50_000)
    assert len(docs) == 2
    for doc in docs:
        assert_bounded(doc, 50_000)
        assert line.startswith(doc.text) and doc.text.endswith("militaire.")  # cut at a sentence
    assert len(report.warnings) == 2 and not report.errors
    assert all("max_doc_chars" in w for w in report.warnings)


def test_bounds_split_at_sentences_then_spaces_with_exact_offsets():
    text = "word " * 3000 + "x" * 12_000
    spans = bound_paragraphs(text, [(0, len(text))])
    assert all(0 < e - s <= MAX_PARAGRAPH_CHARS for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
    assert cap_length(SENTENCE * 10, len(SENTENCE) * 3 + 10) == len(SENTENCE) * 3 - 1


@stage("test-boom")
def _boom_stage(config: dict) -> object:
    """A stage that fails on any document mentioning BOOM, after filling a field of the others."""

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        batch = list(docs)
        for doc in batch:
            doc.language = "xx"
            if "BOOM" in doc.text:
                raise ValueError("cannot handle\nthis text")
        yield from batch

    return run


def test_a_stage_failing_on_one_document_keeps_the_batch():
    def doc(text: str) -> Document:
        return Document(id=text[:8], source=f"{text[:4]}.txt", raw_sha256="0", text=text)

    report = Reporter(stream=io.StringIO())
    pipeline = Pipeline(["test-boom"], batch_size=8)
    out = list(pipeline.run([doc("good one"), doc("BOOM here"), doc("good two")], report))
    assert [d.text for d in out] == ["good one", "BOOM here", "good two"]
    assert [d.language for d in out] == ["xx", None, "xx"]  # the failing one: as before the stage
    [line] = report.errors
    assert "BOOM.txt" in line and "test-boom" in line and "\n" not in line


def test_a_stage_failing_on_every_document_is_the_stages_fault():
    docs = [Document(id=str(i), source="s", raw_sha256="0", text="BOOM") for i in range(3)]
    with pytest.raises(ValueError):
        list(Pipeline(["test-boom"]).run(docs, Reporter(stream=io.StringIO())))


# 5. Dates in JSONL ------------------------------------------------------------------------------

def test_jsonl_dates_read_in_the_records_language_raw_value_kept(tmp_path):
    records = [
        {"text": "L'armée syrienne a repoussé une attaque près de Deir Ezzor mercredi.",
         "date": "05/04/2017"},
        {"text": "The Syrian army repelled an attack near Deir ez-Zor on Wednesday.",
         "date": "4/5/17"},
        {"text": "Short.", "date": "4/5/17", "lang": "fr"},
        {"text": "هاجمت قوات سوريا الديمقراطية بلدة في ريف دير الزور.", "date": "05/04/2017"},
        {"text": "No date here.", "date": "sometime"},
        {"text": "Nor here.", "date": "ask the editor"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    docs, report = ingest([path])
    assert [d.published for d in docs] == ["2017-04-05", "2017-04-05", "2017-05-04", "2017-04-05",
                                           None, None]
    assert [d.published_raw for d in docs] == [r["date"] for r in records]
    [warning] = report.warnings  # once per file
    assert "2 of 6" in warning and "sometime" in warning


@pytest.mark.parametrize("date_line, body", [
    ("05/04/2017", SENTENCE * 3),
    ("04/05/2017", "The Syrian army repelled an attack by gunmen near Deir ez-Zor on Wednesday, a "
                   "military source said, and chased the attackers to the border. " * 3),
    ("05/04/2017", "أفادت مصادر محلية بأن قوات سوريا الديمقراطية شنت هجوماً على بلدة في ريف دير "
                   "الزور الشرقي أمس، ما أسفر عن مقتل ثلاثة مدنيين وإصابة آخرين. " * 3),
], ids=["fr", "en", "ar"])
def test_a_pages_numeric_date_line_is_read_in_its_language(tmp_path, date_line, body):
    (tmp_path / "page.txt").write_text(f"Un titre de page\n\n{date_line}\n\n{body}\n", "utf-8")
    [doc], _ = ingest([tmp_path / "page.txt"])
    assert doc.published == "2017-04-05"


def test_jsonl_lone_surrogate_costs_nothing_else(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "Deir Ezzor \\ud800 mercredi", "title": "\\udfff"}\n'
                    '{"text": "Raqqa mardi"}\n', encoding="utf-8")
    docs, report = ingest([path])
    assert [d.text for d in docs] == ["Deir Ezzor \ufffd mercredi", "Raqqa mardi"]
    assert docs[0].model_dump_json()  # storable: no lone surrogate left
    assert not report.errors


# 6. Deep or sloppy HTML -------------------------------------------------------------------------

ARTICLE = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(3))
CHROME = "<nav><a href='/'>Accueil</a> | <a href='/monde'>Monde</a></nav>"


@pytest.mark.parametrize("page", [
    "<html><body>" + "<div>" * 300 + ARTICLE + "</body></html>",                 # unclosed divs
    "<html><body>" + CHROME + "<div>" * 300 + ARTICLE + "</div>" * 300 + "</body></html>",
    "<html><head><title>T</title><body>" + "<span>" * 5000 + ARTICLE,              # past libxml2
], ids=["300-unclosed", "300-nested-after-chrome", "5000-deep"])
def test_deep_html_keeps_the_article(tmp_path, page):
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    docs, report = ingest([tmp_path / "page.html"])
    assert not report.errors
    [doc] = docs
    assert doc.text.count("Deir Ezzor") == 9
    assert "Accueil" not in doc.text


def test_plain_text_fallback_one_line_per_block():
    html = "<html><head><style>p {}</style></head><body><p>One\nline</p><script>x()</script>" \
           "<div>Two<br>Three</div></body></html>"
    assert page_text(html) == "One line\nTwo\nThree"


# 8. Zero-width characters -----------------------------------------------------------------------

ZW_TEXTS = {
    "fr": "Les forces de S\u200dDF ont pris mercredi le contrôle d'un village près de "
          "De\u200bir ez-Zor, selon une source locale.",
    "en": "The S\u00adDF took control of a village near De\u200bir ez-Zor on Wednesday, a local "
          "source said.",
    "ar": "سيطرت ق\u200cسد يوم الأربعاء على قرية قرب دير \u200fالزور بحسب مصدر محلي.",
}


def test_zero_width_characters_leave_the_text_at_ingest(tmp_path):
    (tmp_path / "zw.txt").write_text("\ufeff" + ZW_TEXTS["fr"] + "\u2066x\u2069", "utf-8")
    [doc], _ = ingest([tmp_path / "zw.txt"])
    assert doc.text == ZW_TEXTS["fr"].replace("\u200d", "").replace("\u200b", "") + "x"


@pytest.fixture(scope="module")
def resolving_pipeline() -> Pipeline:
    from furat.config import load_config

    return Pipeline.from_config(load_config(), ["language", "entities", "geo", "actors"])


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_zero_width_names_resolve(tmp_path, resolving_pipeline, lang):
    (tmp_path / f"{lang}.txt").write_text(ZW_TEXTS[lang], "utf-8")
    docs, _ = ingest([tmp_path / f"{lang}.txt"])
    [doc] = list(resolving_pipeline.run(docs))
    assert doc.language == lang
    assert "Syrian Democratic Forces" in {a.name for a in doc.actors}
    assert "170794" in {p.gazetteer_id for p in doc.places}  # GeoNames: the city of Deir ez-Zor
    for span in doc.actors + doc.places:
        assert doc.text[span.start:span.end] == span.text


# 9. The size limit holds on stdin ---------------------------------------------------------------

def test_stdin_over_the_size_limit_is_refused(tmp_path):
    report = Reporter(stream=io.StringIO())
    assert read_stdin(io.BytesIO(SENTENCE.encode() * 100), 0.005, report) is None
    [line] = report.errors
    assert "too large" in line and "max_file_mb" in line
    small = read_stdin(io.BytesIO(SENTENCE.encode()), 0.005, report)
    assert small is not None and small.data == SENTENCE.encode()
    jsonl = b"".join(json.dumps({"text": SENTENCE}).encode() + b"\n" for _ in range(200))
    item = read_stdin(io.BytesIO(jsonl), 0.005, report)  # JSONL is streamed, any size
    assert item is not None and item.kind == "jsonl" and b"".join(item.lines) == jsonl


def test_cli_stdin_size_limit(tmp_path):
    config = tmp_path / "small.toml"
    config.write_text("[ingest]\nmax_file_mb = 0.001\n")
    result = run_cli("extract", "-", "--config", str(config), "--stages", "",
                     stdin=SENTENCE.encode() * 20)
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err
    assert "furat: error: -: file too large (over 0.001 MB" in err
