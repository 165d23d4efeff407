"""The events issue's acceptance cases on the seed pages (skipped where ../shared is absent)."""

from __future__ import annotations

from tests.conftest import by_seed


def events_of(docs, prefix, kind=None):
    out = [e for d in by_seed(docs, prefix) for e in d["events"]]
    return [e for e in out if kind is None or e["type"] == kind]


def happened(event) -> bool:
    return event["certainty"] in ("asserted", "reported")


def test_bus_attack_of_24_january_2021(seed_docs):
    attacks = [e for e in events_of(seed_docs, "003", "ASSAULT") if e["date"] == "2021-01-24"]
    assert len(attacks) == 1
    [attack] = attacks
    assert (attack["fatalities"], attack["injured"]) == (3, 12) and happened(attack)
    assert "Daech" in attack["evidence"]["text"] and "Al-Malha" in attack["evidence"]["text"]
    assert attack["actor1"]["name"] == "Islamic State" and attack["actor2"]["country"] == "SYR"
    assert attack["place"]["text"] == "Al-Malha"


def test_deir_ezzor_battle_of_september_2017(seed_docs):
    seized = [e for e in events_of(seed_docs, "001", "ASSAULT") if e["date"] == "2017-09-20"
              and "Tibni" in e["evidence"]["text"]]
    assert seized and seized[0]["actor1"]["name"] == "Syrian Arab Army"
    assert seized[0]["actor2"]["name"] == "Islamic State" and seized[0]["place"]["country_code"] == "SYR"
    clashes = [e for e in events_of(seed_docs, "001", "ASSAULT") if e["date"] == "2017-09-21"
               and "Khusham" in e["evidence"]["text"]]
    assert clashes and clashes[0]["place"]["name"] == "Khushām"
    assert {"Islamic State", "Syrian Arab Army"} == {clashes[0]["actor1"]["name"], clashes[0]["actor2"]["name"]}


def test_abu_kamal_taken_the_week_before(seed_docs):
    [taken] = [e for e in events_of(seed_docs, "004", "ASSAULT") if "Abu Kamal" in e["evidence"]["text"]
               and e["trigger"]["text"] == "ont libéré"]
    assert taken["date"] == "2017-W45" and happened(taken)
    assert taken["actor2"]["name"] == "Islamic State" and taken["place"]["text"] == "Abu Kamal"
    assert taken["actor1"]["name"] == "Syrian Arab Army"


def test_coalition_convoy_in_june_2023(seed_docs):
    convoys = [e for e in events_of(seed_docs, "002", "MOBILIZE") if "Al-Walid" in e["evidence"]["text"]]
    assert convoys and convoys[0]["date"].startswith("2023-06") and convoys[0]["certainty"] == "reported"
    assert convoys[0]["actor1"]["country"] == "USA" and convoys[0]["place"]["text"] == "Al-Walid"


def test_clashes_and_protests_of_november_2021_and_no_speculation_as_fact(seed_docs):
    [doc] = by_seed(seed_docs, "000")
    clashes = [e for e in doc["events"] if e["type"] == "ASSAULT" and e["date"] == "2021-11-21" and happened(e)]
    assert clashes and clashes[0]["place"]["name"] == "Deir ez-Zor"
    assert "RUS" in {clashes[0]["actor1"]["country"], clashes[0]["actor2"]["country"]}
    protests = [e for e in doc["events"] if e["type"] == "PROTEST" and happened(e)]
    assert protests and protests[0]["place"]["admin1"] and "Qamichli" in protests[0]["evidence"]["text"]
    last = doc["paragraphs"][-4]["start"]  # the closing paragraphs: threats and speculation
    assert not [e for e in doc["events"] if e["type"] == "ASSAULT" and e["trigger"]["start"] >= last and happened(e)]


def test_no_event_from_the_opinion_piece_on_a_hypothetical_war(seed_docs):
    # seed 001's Arabic analysis of a war between Hezbollah and Israel that has not happened: its
    # raids are expected, conditional, habitual ("كلما") or dwindling ("اختفت"), none took place as told
    [piece] = [d for d in by_seed(seed_docs, "001") if "تثار منذ فترة فكرة اندلاع حرب" in d["text"]]
    assert [(e["type"], e["trigger"]["text"]) for e in piece["events"]] == []
