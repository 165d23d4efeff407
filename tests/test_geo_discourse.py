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


def test_a_town_the_ner_calls_an_organisation_or_a_person_is_still_the_town(geo: Geoparser) -> None:
    text = ("Iraqi army units pushed into Rawa in western Anbar province early Friday. US-led coalition "
            "forces supported the operations to retake Rawa and Qaim with air strikes.")
    second = text.index("Rawa", text.index("retake"))
    ents = [(second, second + 4, "ORG"), (text.index("Qaim"), text.index("Qaim") + 4, "PER")]
    found = [p for p in geo.parse(text, language="en", entities=ents) if p.text == "Rawa"]
    assert {p.start for p in found} == {text.index("Rawa"), second}
    assert len({(p.lat, p.lon) for p in found}) == 1 and found[0].lat is not None
    # a longer organisation name keeps its town out
    ents = [(second, second + 4, "ORG")]
    org = "Rawa Media Office"
    text2 = text + f" The {org} said the town was retaken."
    at = text2.index(org)
    found = [p for p in geo.parse(text2, language="en", entities=[*ents, (at, at + len(org), "ORG")])
             if p.text == "Rawa"]
    assert at not in {p.start for p in found}


def test_a_nationality_is_never_a_fuzzy_village(geo: Geoparser) -> None:
    text = "Syrian state television aired a report interviewing army personnel at the base on Sunday."
    ents = [(0, 6, "NORP")]
    assert "Syrian" not in {p.text for p in geo.parse(text, language="en", entities=ents)}
