"""An event is a decision: every kind of trap of EVENTS.md §1 in the three languages, against the
same act told as having happened; one record per occurrence; `furat eval events` on the dev gold."""

from __future__ import annotations

import json

import pytest

from furat.config import load_config
from furat.eval.events import overlaps, read_gold, score_page
from furat.model import Event, Span
from furat.pipeline import Pipeline
from tests.conftest import SHARED, run_cli
from tests.test_events import run


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["language", "entities", "geo", "actors", "time", "events"], load_config())


def types(doc) -> list[str]:
    return [e.type for e in doc.events]


TRAPS = [  # (text, type that must not be coded)
    # future, hypothetical, negated
    ("The Syrian army will attack Mayadin next week.", "ASSAULT"),
    ("If the coalition strikes the bridge, the army could lose its supply line.", "ASSAULT"),
    ("The army did not attack the town on Sunday.", "ASSAULT"),
    ("L'armée syrienne va attaquer Deir ez-Zor dans les prochains jours.", "ASSAULT"),
    ("Les navires russes pourraient être bombardés en mer Noire.", "ASSAULT"),
    ("Les forces turques n'ont pas bombardé Qamichli.", "ASSAULT"),
    ("سوف يهاجم الجيش السوري مدينة الميادين.", "ASSAULT"),
    ("لم تقصف الطائرات الروسية مدينة البوكمال.", "ASSAULT"),
    # threatened and demanded acts, accusation and denial contents
    ("Ankara threatened to strike SDF positions east of the Euphrates.", "ASSAULT"),
    ("La Turquie menace de mener des frappes contre les positions du PKK.", "ASSAULT"),
    ("Damas a menacé de bombarder les positions des FDS.", "ASSAULT"),
    ("The US denied giving HIMARS to the SDF, and Turkey accused the coalition of shelling Tal Abyad.", "ASSAULT"),
    # generic and trend talk, state and relation
    ("ISIS cells regularly carry out attacks in the Badia.", "ASSAULT"),
    ("Les cellules de Daech mènent régulièrement des attaques dans la Badia.", "ASSAULT"),
    ("La frontière a connu une escalade remarquable d'attaques contre l'armée syrienne.", "ASSAULT"),
    ("In response to previous attacks on its forces, Washington has sent more troops to Syria.", "ASSAULT"),
    ("Over the past decade, these insurgencies have killed thousands and displaced two million people.", "SANCTION"),
    # a weapon named, a statement made: "missiles" and "fourni" are no strike and no aid
    ("Les États-Unis ont renforcé leurs forces près des champs pétrolifères avec un système de missiles HIMARS.",
     "ASSAULT"),
    ("The US deployed a Patriot missile system near the base.", "ASSAULT"),
    ("Le ministère russe de la Défense a fourni quelques informations sur la situation dans l'est de la Syrie.",
     "AID"),
    ("The US-backed SDF controls Raqqa.", "SUPPORT"),
    ("Les FDS soutenues par les États-Unis contrôlent Raqqa.", "AID"),
    ("Les forces loyales au GNA, reconnu par la communauté internationale, tiennent Tripoli.", "SUPPORT"),
    ("Forces loyal to the government recognised by the United Nations hold Tripoli.", "SUPPORT"),
    # Arabic verbal nouns framed by a future or a condition further back, or after them; a
    # weapon supplied, not fired
    ("متوقعة تكثيف الجيش الإسرائيلي خلال الأسابيع المقبلة، غاراته على مواقع حزب الله في الجنوب.", "ASSAULT"),
    ("ويرى الحزب أن الضربة الإسرائيلية لو حدثت ستوحد اللبنانيين.", "ASSAULT"),
    ("وحصل حزب الله على مزيد من الصواريخ التي قدمتها له إيران.", "ASSAULT"),
]
ACTS = [  # the same acts told as having happened
    "ISIS fighters attacked an army bus near al-Malha on Sunday.",
    "L'armée syrienne a repris la ville de Mayadin samedi.",
    "قصفت طائرات حربية بلدة في ريف دير الزور الشرقي أمس.",
    "Selon l'OSDH, des frappes aériennes auraient visé un dépôt d'armes à Boukamal.",
    # strikes aimed at a target, with the day parsed between the verb and the noun
    "La Turquie a mené samedi des frappes contre des positions du PKK dans le nord de l'Irak.",
    "Turkey carried out strikes against PKK positions in northern Iraq on Sunday.",
]


@pytest.mark.parametrize("text,kind,happened", [(t, k, False) for t, k in TRAPS] + [(t, "ASSAULT", True) for t in ACTS])
def test_only_acts_that_took_place_are_coded(pipeline, text, kind, happened):
    doc = run(pipeline, text, "2021-01-10")
    assert (kind in types(doc)) == happened, [(e.type, e.trigger.text) for e in doc.events]


def test_the_verbal_act_is_kept_when_its_content_is_not(pipeline):
    doc = run(pipeline, "Ankara threatened to strike SDF positions east of the Euphrates.", "2021-01-10")
    assert types(doc) == ["THREATEN"] and doc.events[0].actor1.country == "TUR"


def test_conditional_perfect_is_a_hedged_report_not_a_trap(pipeline):
    doc = run(pipeline, "Des frappes aériennes auraient tué six combattants près de Boukamal dimanche.", "2021-01-10")
    [strike] = [e for e in doc.events if e.type == "ASSAULT"]
    assert strike.certainty == "hedged" and strike.date == "2021-01-10"


def test_one_clash_told_three_times_is_one_event(pipeline):
    doc = run(pipeline, "Des combattants de Daech ont attaqué un poste de l'armée syrienne près de Mayadin dimanche.\n"
                        "Selon une source militaire, l'attaque a fait trois morts et cinq blessés.\n"
                        "« Nos forces ont repoussé l'attaque », a déclaré un officier.", "2021-01-12")
    [attack] = [e for e in doc.events if e.type == "ASSAULT"]
    assert (attack.fatalities, attack.injured, attack.date) == (3, 5, "2021-01-10")
    assert len(attack.mentions) >= 1 and attack.actor1.name == "Islamic State"


def test_roles_follow_the_parse_not_the_order(pipeline):
    doc = run(pipeline, "Syrian regime forces were targeted by ISIS militants near Deir ez-Zor on Monday.", "2021-01-12")
    [attack] = [e for e in doc.events if e.type == "ASSAULT"]
    assert attack.actor1.name == "Islamic State" and attack.actor2.name == "Syrian Arab Army"
    assert attack.place.text == "Deir ez-Zor"


def test_who_is_accused_is_named_after_the_statement(pipeline):
    doc = run(pipeline, "President Biden on Monday condemned the attack and blamed Iranian militias.", "2021-01-12")
    [accuse] = [e for e in doc.events if e.type == "ACCUSE"]
    assert accuse.actor2 is not None and accuse.actor2.country == "IRN"


def test_a_country_told_as_where_is_no_target(pipeline):
    doc = run(pipeline, "نفذت قوات سوريا الديمقراطية أمس حملة دهم واعتقال في حي غويران بمحافظة الحسكة، "
                        "شمال شرقي سورية.", "2021-01-12")
    [raid] = [e for e in doc.events if e.type == "COERCE"]
    assert raid.actor1.name == "Syrian Democratic Forces" and raid.actor2 is None


def _event(evidence: str, trigger: str, kind: str) -> Event:
    return Event(type=kind, evidence=Span(text=evidence, start=0, end=len(evidence)),
                 trigger=Span(text=trigger, start=0, end=len(trigger)))


def test_the_scorer_counts_duplicates_traps_and_misses():
    from furat.eval.events import GoldPage

    page = GoldPage("p", "en", "2021-01-10", events=[
        {"evidence": "ISIS attacked an army bus near al-Malha on Sunday", "mentions": ["The attack killed three"],
         "trigger": "attacked", "plover": "ASSAULT"},
        {"evidence": "Russia warned the United States on Thursday", "mentions": [], "trigger": "warned",
         "plover": "THREATEN"},
    ], not_events=[{"evidence": "The army will attack Mayadin next week", "trigger": "attack", "why": "future"}])
    coded = [_event("ISIS attacked an army bus near al-Malha on Sunday.", "attacked", "ASSAULT"),
             _event("The attack killed three soldiers.", "attack", "ASSAULT"),
             _event("The army will attack Mayadin next week.", "attack", "ASSAULT")]
    s = score_page(page, coded)
    assert (s.coded, s.matched, s.found, s.traps_coded) == (3, 2, 1, 1)
    assert not overlaps("Russia warned the United States", "The army will attack Mayadin next week")
    assert overlaps("ISIS attacked an army bus", "Sunday: ISIS attacked an army bus near al-Malha")


@pytest.mark.skipif(not (SHARED / "annotation").exists(), reason="../shared/annotation is not here")
def test_eval_events_on_the_seed_gold_prints_a_table_then_json(tmp_path):
    gold = SHARED / "annotation" / "seeds_gold.jsonl"
    errors = tmp_path / "errors.jsonl"
    out = run_cli("eval", "events", str(gold), str(SHARED / "seeds"), "--errors", str(errors))
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout.decode().strip().splitlines()[-1])
    assert summary["gold"] == sum(len(p.events) for p in read_gold([gold]))
    assert 0 < summary["precision"] <= 1 and 0 < summary["recall"] <= 1
    assert {"fr", "ar+en"} <= set(summary["per_language"]) and not summary["pages_without_documents"]
    kinds = {json.loads(line)["kind"] for line in errors.read_text().splitlines()}
    assert "missed" in kinds or "false" in kinds


def test_the_shipped_classifier_weighs_a_trap_below_the_same_act_told_as_done():
    from furat.events.classify import event_probability, model, window_text
    from furat.events.decide import decide
    from furat.textnorm import normalise

    assert model() is not None  # furat/data/events/decision_model.json ships with the package
    probabilities = []
    for text in ("The army will attack Mayadin next week.", "The army attacked Mayadin on Sunday."):
        norm = normalise(text).text
        start = norm.index("attack")
        end = start + len("attack") + (2 if "attacked" in norm else 0)
        d = decide("en", "ASSAULT", norm, start, end)
        probabilities.append(event_probability("en", d.features, d.label == "event", window_text(norm, start, end)))
    assert probabilities[0] < 0.5 < probabilities[1]


def test_a_sentence_is_not_cut_at_an_abbreviation(pipeline):
    doc = run(pipeline, "A drone strike near the border killed three U.S. troops, leaving at least 25 others "
                        "injured, officials said.", "2024-01-29")
    [strike] = [e for e in doc.events if e.type == "ASSAULT"]
    assert (strike.fatalities, strike.injured) == (3, 25)


def test_a_line_wrapped_before_a_lower_case_word_continues_its_sentence():
    from furat.events.extract import sentences
    from furat.model import Document, Paragraph

    text = "Islamic State militants have\nexecuted Syrian army soldiers. Lt. Gen. Asapov died.\nNew line here."
    doc = Document(id="x", source="test", raw_sha256="-", text=text, language="en",
                   paragraphs=[Paragraph(start=0, end=len(text), language="en")])
    assert [text[s.start:s.end] for s, _ in sentences(doc)] == [
        "Islamic State militants have\nexecuted Syrian army soldiers.", "Lt. Gen. Asapov died.", "New line here."]


def test_so_called_is_no_negation():
    """"ما تسمى جماعة …" (the so-called group) negates nothing; "ما نفذت" does."""
    from furat.events.decide import decide
    from furat.textnorm import normalise

    for text, label in (("نشرت ما تسمى جماعة مغاوير الثورة فيديو لتدريبات مشتركة مع القوات الأميركية", "event"),
                        ("ما نفذت جماعة مغاوير الثورة تدريبات مشتركة مع القوات الأميركية", "negated")):
        norm = normalise(text).text
        at = norm.index("تدريبات")
        assert decide("ar", "COOPERATE", norm, at, at + len("تدريبات مشتركه")).label == label, text


def test_an_arabic_habit_told_after_the_act_is_generic(pipeline):
    doc = run(pipeline, "ومن ثم فالإرهابيون حلفاء إسرائيل الذين تعاونهم بالغارات كلما تخاذلوا تحت ضربات الجيش السوري.",
              "2017-09-21")
    assert "ASSAULT" not in types(doc)


@pytest.mark.parametrize(("text", "mode"), [
    ("President Biden on Monday condemned the attack on the base.", "disapprove"),
    ("Trump called for confrontation with Iran, which he vilified as a corrupt dictatorship.", "disapprove"),
    ("Le ministre a fustigé mardi l'offensive turque.", "disapprove"),
    ("Ankara accused the SDF on Monday of shelling Tal Abyad.", "allege"),
    ("اتهمت وزارة الدفاع الروسية أمس التحالف بقصف مواقع الجيش.", "allege"),
])
def test_condemning_is_disapproval_charging_is_allegation(pipeline, text, mode):
    doc = run(pipeline, text, "2021-01-12")
    assert [e.mode for e in doc.events if e.type == "ACCUSE"][:1] == [mode]


@pytest.mark.parametrize(("text", "kind"), [
    ("وقالت كتائب سيد الشهداء في بيان لها أمس إن الهجوم لن يمر دون عقاب.", "THREATEN"),
])
def test_threats_and_blame_told_by_idioms(pipeline, text, kind):
    assert kind in types(run(pipeline, text, "2017-08-08"))


@pytest.mark.parametrize(("text", "kind"), [
    ("US envoy Brett McGurk said on Sunday in Amman that the United States was in close contact with Turkey.",
     "CONSULT"),
    # a past verb with no cue against it is kept whatever the classifier weighs
    ("واجتمع وزير الخارجية الروسي مع نظيره الأميركي أمس في موسكو.", "CONSULT"),
    ("Il a fait état jeudi de survols intensifs de zones contrôlées par l'administration kurde.", "MOBILIZE"),
])
def test_contacts_and_overflights(pipeline, text, kind):
    assert kind in types(run(pipeline, text, "2017-09-21"))


@pytest.mark.parametrize("text", [
    "Le Hezbollah a salué cette offensive lors d'une conférence de presse, dimanche.",
    "أعلن الجيش السوري أمس أنه عبر نهر الفرات. ومن شأن هذا التقدم أن يغير موازين القوى في المنطقة.",
])
def test_an_act_pointed_back_at_is_never_a_new_event(pipeline, text):
    # "cette offensive", "هذا التقدم": an act told before (or elsewhere), not one more
    assert "ASSAULT" not in types(run(pipeline, text, "2017-09-21"))


def test_an_act_a_verb_says_was_begun_is_kept_whatever_the_classifier_weighs(pipeline):
    doc = run(pipeline, "Selon le ministère, les combattants de l'EI ont commencé à se rendre volontairement dimanche.",
              "2017-11-15")
    assert "RETREAT" in types(doc)


def test_the_launch_of_an_operation_tells_it_took_place(pipeline):
    doc = run(pipeline, "Avec le lancement de l'opération militaire turque Source de paix, les forces américaines ont "
                        "quitté leurs bases.", "2019-10-21")
    assert "ASSAULT" in types(doc) and "RETREAT" in types(doc)


@pytest.mark.parametrize("text,kind,happened", [
    ("Les autorités syriennes ont lancé le processus de réconciliation avec les chefs tribaux de Deir ez-Zor.",
     "CONCEDE", True),
    ("The SDF launched a campaign of arrests in the villages east of Deir ez-Zor on Monday.", "COERCE", True),
    ("The SDF threatened a campaign of arrests in the villages east of Deir ez-Zor.", "COERCE", False),
])
def test_a_noun_that_frames_the_act_passes_on_its_verb(pipeline, text, kind, happened):
    # "le processus de", "a campaign of": the verb above the frame says whether the act took place
    doc = run(pipeline, text, "2021-11-20")
    assert (kind in types(doc)) == happened, [(e.type, e.trigger.text) for e in doc.events]
