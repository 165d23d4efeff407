"""One sense per discourse (furat/geo/discourse.py) on real wording from the seeds' outlets."""

from __future__ import annotations

import pytest

from furat.geo.stage import Geoparser


@pytest.fixture(scope="module")
def geo() -> Geoparser:
    return Geoparser()


def test_a_name_the_ner_missed_once_is_still_a_place(geo: Geoparser) -> None:
    text = ("The Syrian Arab Army patrolled the streets of Mayadeen on Monday. On Saturday, Syrian government "
            "troops completely liberated Mayadeen, a spokesman said. Victory in Mayadeen came quickly.")
    found = [p for p in geo.parse(text, language="en") if p.text == "Mayadeen"]
    assert len(found) == text.count("Mayadeen")
    assert len({(p.lat, p.lon) for p in found}) == 1 and found[0].lat is not None


def test_the_channel_is_not_the_town(geo: Geoparser) -> None:
    text = ("Des sources ont rapporté à la chaîne libanaise Al-Mayadeen qu'un convoi est entré à Mayadeen. "
            "Selon Al-Mayadeen, le convoi a quitté Mayadeen dimanche.")
    starts = {p.start for p in geo.parse(text, language="fr") if p.text == "Mayadeen"}
    channel = {i + 3 for i in range(len(text)) if text.startswith("Al-Mayadeen", i)}
    assert starts and not starts & channel


def test_a_province_and_its_town_keep_their_readings(geo: Geoparser) -> None:
    text = "قتل عنصر في ريف دير الزور الشرقي. وتقدم الجيش من مدينة دير الزور نحو مدينة الميادين."
    readings = {p.feature for p in geo.parse(text, language="ar") if p.text == "دير الزور"}
    assert "ADM1" in readings and any(f.startswith("PPL") for f in readings)


def test_an_armed_group_tagged_by_the_entities_stage_is_no_place(geo: Geoparser) -> None:
    text = "High-ranking Islamic State (IS) leaders relocated to Mayadeen, where IS kept its command."
    ents = [(i, i + 2, "ARMED_GROUP") for i in range(len(text)) if text.startswith("IS ", i) or
            text.startswith("IS)", i)]
    names = {p.text for p in geo.parse(text, language="en", entities=ents)}
    assert "IS" not in names and "Mayadeen" in names


def test_off_by_config(geo: Geoparser) -> None:
    text = ("The army liberated Mayadeen on Saturday. Victory in Mayadeen came quickly after the offensive on "
            "Mayadeen began.")
    plain = Geoparser({"one_sense_per_discourse": False}, gazetteer=geo.gaz)
    assert len(geo.parse(text, language="en")) >= len(plain.parse(text, language="en"))
