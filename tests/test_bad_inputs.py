"""Bad inputs: one clear line each on stderr, the rest processed, never a traceback."""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest

from tests.conftest import PAGES, documents_of, run_cli

LATIN1_FR = ("L'armée syrienne a repoussé mercredi une attaque lancée par des hommes armés près de "
             "Deir Ezzor, a indiqué une source militaire. Les assaillants ont été poursuivis jusqu'à "
             "la frontière, où plusieurs véhicules ont été détruits. Élevé, façade, où, déjà.")
CP1256_AR = ("أفادت مصادر محلية بأن قوات سوريا الديمقراطية شنت هجوماً على بلدة في ريف دير الزور "
             "الشرقي أمس، ما أسفر عن مقتل ثلاثة مدنيين وإصابة آخرين، فيما أغلقت القوات الطرقات المؤدية "
             "إلى البلدة وسط حالة من التوتر في المنطقة.")


def no_traceback(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text
    return text


@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(PAGES / "fr_chrome.txt", folder / "page.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.bin").write_bytes(random.Random(7).randbytes(4096))
    (folder / "latin1.txt").write_bytes(LATIN1_FR.encode("latin-1"))
    (folder / "arabic-1256.txt").write_bytes(CP1256_AR.encode("cp1256"))
    return folder


def test_folder_mixing_good_and_bad_inputs(mixed_folder):
    result = run_cli("extract", str(mixed_folder), "--format", "json")
    err = no_traceback(result.stderr)
    assert result.returncode == 0
    docs = documents_of(result.stdout)
    by_name = {os.path.basename(d["source"]): d for d in docs}
    assert set(by_name) == {"page.txt", "latin1.txt", "arabic-1256.txt"}
    assert by_name["arabic-1256.txt"]["text"] == CP1256_AR
    assert by_name["arabic-1256.txt"]["language"] == "ar"
    assert by_name["latin1.txt"]["text"] == LATIN1_FR
    error_lines = [ln for ln in err.splitlines() if ln.startswith("furat: error:")]
    assert len(error_lines) == 2
    assert any("empty.txt" in ln and "empty" in ln for ln in error_lines)
    assert any("random.bin" in ln and "binary" in ln for ln in error_lines)


def test_no_document_at_all_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    result = run_cli("extract", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"))
    err = no_traceback(result.stderr)
    assert result.returncode == 1
    assert "missing.txt: no such file or folder" in err
    assert json.loads(result.stdout) == {"documents": []}


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("extract").returncode == 2
    assert run_cli("extract", str(PAGES), "--format", "xml").returncode == 2
    result = run_cli("extract", str(PAGES), "--stages", "nonsense")
    assert result.returncode == 2
    assert "unknown stage 'nonsense'" in no_traceback(result.stderr)
    missing = run_cli("geoparse", str(tmp_path / "nowhere.txt"))  # a path, not a text to geoparse
    assert missing.returncode == 2 and "no such file" in no_traceback(missing.stderr)


def test_invalid_utf8_is_decoded_with_a_warning(tmp_path):
    text = (PAGES / "fr_subheadings.txt").read_bytes()
    broken = text[:300] + b"\xff\xfe" + text[300:]
    (tmp_path / "broken.txt").write_bytes(broken)
    result = run_cli("extract", str(tmp_path / "broken.txt"))
    err = no_traceback(result.stderr)
    assert result.returncode == 0
    assert "invalid UTF-8" in err
    [doc] = documents_of(result.stdout)
    assert "Badia" in doc["text"] and "Ã" not in doc["text"]


def test_too_large_file_is_refused_in_one_line(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        sentence = "Les forces syriennes ont avancé vers l'est de la province de Deir Ezzor. "
        line = (sentence * 10 + "\n").encode()
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    shutil.copy(PAGES / "fr_chrome.txt", tmp_path / "page.txt")
    result = run_cli("extract", str(tmp_path))
    err = no_traceback(result.stderr)
    assert result.returncode == 0
    assert "big.txt: file too large (50.0 MB > 20 MB" in err
    assert len(documents_of(result.stdout)) == 1


def test_malformed_jsonl_lines_are_reported_and_skipped(tmp_path):
    good = {"id": "a1", "text": LATIN1_FR, "published": "2021-01-24", "url": "https://example.org/a1",
            "title": "Attaque près de Deir Ezzor", "source": "Exemple Info"}
    lines = [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"title": "no text"}), "",
             json.dumps({"id": "b2", "text": CP1256_AR})]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("extract", str(path), "--format", "jsonl")
    err = no_traceback(result.stderr)
    assert result.returncode == 0
    docs = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [d["id"] for d in docs] == ["a1", "b2"]
    assert docs[0]["published"] == "2021-01-24" and docs[0]["published_source"] == "input"
    assert docs[0]["outlet"] == "Exemple Info" and docs[0]["source"] == "https://example.org/a1"
    assert docs[0]["title"] == "Attaque près de Deir Ezzor"
    assert "corpus.jsonl:2: malformed JSON line" in err
    assert 'corpus.jsonl:3: JSON line has no "text" string' in err


def test_stdin_text_html_and_jsonl():
    page = (PAGES / "fr_chrome.txt").read_bytes()
    [doc] = documents_of(run_cli("extract", "-", stdin=page).stdout)
    assert doc["source"] == "-" and doc["author"] == "Jean-Marc Lefort"
    record = json.dumps({"text": LATIN1_FR, "id": "x"}).encode()
    [doc] = documents_of(run_cli("extract", "-", stdin=record).stdout)
    assert doc["id"] == "x"
