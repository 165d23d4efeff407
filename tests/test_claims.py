"""Claims (CLAIMS.md): who says what on the real seeds, sentences in their style in the three
languages, events' certainty from claims, disputes, and the claims eval on the guide's format."""

from __future__ import annotations

import json

import pytest

from furat.config import load_config
from furat.model import Document, Paragraph, content_id
from furat.pipeline import Pipeline
from tests.conftest import by_seed


def _claims(doc: dict) -> list[dict]:
    return doc["claims"]


def _said(docs: list[dict], speaker: str, content: str) -> list[dict]:
    """Claims of `docs` whose speaker holds `speaker` and content holds `content`."""
    return [c for d in docs for c in _claims(d)
            if c["speaker"] and speaker in c["speaker"]["text"] and content in c["content"]["text"]]


# -- the seeds ----------------------------------------------------------------------------------

def test_konashenkov_85_percent_of_deir_ezzor(seed_docs):
    [claim] = _said(by_seed(seed_docs, "001"), "Konashenkov", "85 percent of Deir Ezzor")
    assert claim["cue"]["text"] == "said" and claim["stance"] == "assert" and not claim["hedged"]


def test_talal_silo_speaks_for_the_sdf(seed_docs):
    claims = _said(by_seed(seed_docs, "001"), "طلال سلو", "الأمر في عهدة الطرفين")
    assert claims and claims[0]["cue"]["text"] == "وقال"


def test_centcom_spokesman_on_himars(seed_docs):
    [claim] = _said(by_seed(seed_docs, "002"), "porte-parole du Commandement central", "Himars en Syrie")
    assert claim["cue"]["text"] == "a déclaré"
    assert claim["content"]["text"].startswith("Oui, il y a des Himars en Syrie")


def test_military_source_three_dead_twelve_wounded(seed_docs):
    docs = by_seed(seed_docs, "003")
    [claim] = _said(docs, "une source militaire", "trois martyrs et a blessé 12 autres")
    assert claim["cue"]["text"] == "Selon" and claim["speaker_kind"] == "anonymous"
    assert claim["via"] is None or "Mayadeen" in claim["via"]["text"]


def test_russian_ministry_accusations(seed_docs):
    docs = by_seed(seed_docs, "004")
    [claim] = _said(docs, "ministère russe de la Défense", "couverture aux terroristes")
    assert claim["cue"]["text"] == "Selon"
    accusations = [c for d in by_seed(seed_docs, "003") for c in _claims(d) if c["stance"] == "accuse"]
    assert {c["speaker"]["text"] for c in accusations} >= {"La source", "Les mêmes sources"}


def test_avia_pro_bosphorus_blockade_is_hedged(seed_docs):
    [claim] = _said(by_seed(seed_docs, "000"), "Avia.pro", "blocage du Bosphore")
    assert claim["cue"]["text"] == "écrit"
    assert claim["hedged"] and claim["hedge"] is not None
    assert claim["speaker_kind"] in ("outlet", "organisation")


def test_conoco_airdrop_is_disputed(seed_docs):
    [doc] = [d for d in by_seed(seed_docs, "001") if "كونيكو" in d["text"]]
    disputes = [x for x in doc["disputes"] if "إنزال" in doc["events"][x["event"]]["trigger"]["text"]]
    assert disputes and disputes[0]["on"] == "actor"
    speakers = {v["speaker"] for v in disputes[0]["versions"]}
    assert {"بعض المصادر", "مصادر أخرى"} <= speakers
    assert doc["events"][disputes[0]["event"]]["disputed"]


# -- sentences in the seeds' style ----------------------------------------------------------------

@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["language", "entities", "actors", "time", "events", "claims"], load_config())


def run(pipeline: Pipeline, text: str) -> Document:
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        paragraphs.append(Paragraph(start=pos, end=pos + len(line)))
        pos += len(line) + 1
    doc = Document(id=content_id(text), source="test", raw_sha256="-", text=text, published="2017-09-21",
                   published_precision="day", paragraphs=paragraphs)
    [out] = list(pipeline.run([doc]))
    return out


def test_french_inverted_quote_then_pronoun(pipeline):
    doc = run(pipeline, "« Les terroristes ont attaqué nos positions à Deir Ezzor », a déclaré le général Ali "
                        "Mayhoub. « Nous les avons repoussés », a-t-il ajouté.")
    first, second = doc.claims
    assert first.speaker.text == "le général Ali Mayhoub" and first.cue.text == "a déclaré"
    assert first.content.text == "Les terroristes ont attaqué nos positions à Deir Ezzor"
    assert second.cue.text == "a-t-il ajouté" and second.speaker.text == "le général Ali Mayhoub"


def test_french_denial_makes_the_event_denied(pipeline):
    doc = run(pipeline, "Les forces kurdes ont démenti que les forces turques avaient pris Ras al-Aïn.")
    [claim] = doc.claims
    assert claim.stance == "deny" and claim.speaker.text == "Les forces kurdes"
    # the denial is the speaker's act, told by the outlet; what it denies is never a plain fact
    reject = [doc.events[i] for i in claim.about if doc.events[i].type == "REJECT"]
    assert reject and reject[0].certainty == "asserted"
    inside = [e for e in doc.events if e.trigger and claim.content.start <= e.trigger.start < claim.content.end]
    assert all(e.certainty == "denied" and e.reported_by == "Les forces kurdes" for e in inside)


def test_english_according_to_reports_the_event(pipeline):
    doc = run(pipeline, "According to the Syrian Observatory, ISIS militants attacked an army post near "
                        "Mayadeen on Sunday, killing four soldiers.")
    [claim] = doc.claims
    assert claim.cue.text == "According to" and claim.speaker.text == "the Syrian Observatory"
    attacks = [e for e in doc.events if e.type == "ASSAULT"]
    assert attacks and attacks[0].certainty == "reported"
    assert attacks[0].reported_by == "the Syrian Observatory"


def test_sources_before_a_relative_attribution_say_what_follows(seed_docs, pipeline):
    # seed 002: "le journal turc Daily Sabah a cité des sources selon lesquelles le système HIMARS …"
    [claim] = [c for d in by_seed(seed_docs, "002") for c in _claims(d) if "selon lesquelles" in c["cue"]["text"]
               and "HIMARS" in c["content"]["text"]]
    assert claim["speaker"]["text"] == "des sources"
    assert claim["content"]["text"].startswith("le système HIMARS avait été transféré")
    doc = run(pipeline, "The ministry dismissed reports according to which the army had withdrawn from Khusham.")
    [relayed] = [c for c in doc.claims if c.cue.text == "according to which"]
    assert relayed.speaker.text == "reports" and relayed.content.text == "the army had withdrawn from Khusham"


def test_english_outlet_voice_stays_asserted_and_hedges_count(pipeline):
    doc = run(pipeline, "Russian jets struck ISIS positions in Deir Ezzor on Monday.\nThe SDF said US troops "
                        "allegedly shelled the bridge.")
    bombing = [e for e in doc.events if e.evidence and e.evidence.start == 0]
    assert bombing and bombing[0].certainty == "asserted" and bombing[0].reported_by is None
    [claim] = doc.claims
    assert claim.hedged and claim.hedge.text == "allegedly"


def test_arabic_verb_first_source_and_complementizer(pipeline):
    doc = run(pipeline, "وقال مصدر عسكري لوكالة سبوتنيك إن تنظيم داعش هاجم مواقع الجيش في دير الزور.")
    [claim] = doc.claims
    assert claim.cue.text == "وقال" and claim.speaker.text == "مصدر عسكري"
    assert claim.speaker_kind == "anonymous"
    assert claim.via is not None and "سبوتنيك" in claim.via.text
    assert claim.content.text.startswith("إن تنظيم داعش هاجم")


def test_arabic_according_to_and_denial_dispute(pipeline):
    doc = run(pipeline, "بحسب مصادر محلية، قصفت طائرات التحالف قرية الباغوز.\n"
                        "ونفى التحالف أن طائراته قصفت قرية الباغوز.")
    stances = [c.stance for c in doc.claims]
    assert stances == ["assert", "deny"]
    assert doc.claims[0].speaker.text == "مصادر محلية"
    disputed = [d for d in doc.disputes if d.on == "occurred"]
    assert disputed and doc.events[disputed[0].event].disputed


def test_arabic_lead_phrase_and_verb_first_named_speaker(pipeline):
    # "ورداً على \\S+" is a lead (its \\S kept through normalisation); the speaker of a verb-first
    # "أعلنت" with no complementizer is the actor named after it, not the clause up to the comma
    doc = run(pipeline, "ورداً على القصف، أعلنت كتائب حزب الله النفير العام ضد القوات الأميركية في سوريا.")
    [claim] = doc.claims
    assert claim.cue.text == "أعلنت" and claim.speaker.text == "كتائب حزب الله"
    assert claim.content.text.startswith("النفير العام")


def test_speaker_loses_subordinator_and_adverb(pipeline):
    doc = run(pipeline, "When the spokesman declared the offensive over, the SDF even threatened to withdraw "
                        "from the talks.")
    assert [c.speaker.text for c in doc.claims] == ["the spokesman", "the SDF"]
    doc = run(pipeline, "La Maison Blanche a renouvelé son soutien au déploiement dans l’est de la Syrie, tandis "
                        "que Damas affirme que cette présence militaire est une occupation.")
    [claim] = doc.claims
    assert claim.speaker.text == "Damas" and claim.cue.text == "affirme"


def test_possessive_noun_and_quoted_verb_are_no_cues(pipeline):
    # "Trump’s warning" is a noun: the lawyer's content runs on through it
    doc = run(pipeline, "The lawyer also added that Trump’s warning to destroy North Korea was a call for genocide.")
    [claim] = doc.claims
    assert claim.speaker.text == "The lawyer" and claim.cue.text == "added"
    assert claim.content.text.endswith("was a call for genocide")
    # "reveals" inside the quotation is the statement's own word, "read" is the cue
    doc = run(pipeline, '"The attack reveals the evil intentions of the US in the region," the statement read.')
    [claim] = doc.claims
    assert claim.speaker.text == "the statement" and claim.cue.text == "read"


def test_participle_after_a_plain_verb_is_said_by_its_subject(pipeline):
    doc = run(pipeline, "The Syrian army said the jet was shot down over Tabqa. An independent monitoring group on "
                        "social media backed the US version of events, accusing Syrian forces of attacking SDF "
                        "positions near Tabqa.")
    said, accusing = doc.claims
    assert said.speaker.text == "The Syrian army"
    assert accusing.cue.text == "accusing" and accusing.speaker.text.startswith("An independent monitoring group")


def test_arabic_conjoined_verb_takes_the_subject_after_it(pipeline):
    doc = run(pipeline, "نشرت جماعة مغاوير الثورة فيديو لتدريبات مشتركة مع القوات الأميركية في منطقة التنف، "
                        "وقالت الجماعة إن هذا التمرين يهدف إلى تعزيز القدرات الدفاعية.")
    [claim] = doc.claims
    assert claim.cue.text == "وقالت" and claim.speaker.text == "الجماعة"


def test_closing_attribution_reports_the_whole_sentence(pipeline):
    doc = run(pipeline, "Al Qaeda affiliate JNIM has claimed responsibility for an attack that killed over 100 "
                        "soldiers near the Niger border, the SITE Intelligence Group reported on Sunday.")
    [claim] = doc.claims
    assert claim.speaker.text == "the SITE Intelligence Group" and claim.cue.text == "reported"
    assert claim.content.text.startswith("Al Qaeda affiliate JNIM has claimed")
    doc = run(pipeline, "العبور الذي أشارت الصحيفة إلى إدراجه في أولويات الجيش أنجز في زمن قياسي، وفقاً لتأكيدات "
                        "مصدر ميداني سوري.")
    [claim] = doc.claims
    assert claim.speaker.text == "مصدر ميداني سوري" and claim.content.text.endswith("في زمن قياسي")
    # an inverted quote's own speaker stays: the outlet after it is no speaker of everything
    doc = run(pipeline, "« Les assaillants étaient plus d'une centaine », a déclaré un habitant, selon l'AFP.")
    assert [c.speaker.text for c in doc.claims] == ["un habitant"]


def test_arabic_participle_with_tanween_announces_the_quote(pipeline):
    # the tanween of "مضيفةً" belongs to the cue, so the colon after it hands over the quote, once
    doc = run(pipeline, "ورداً على القصف، أعلنت كتائب حزب الله النفير العام ضد القوات الأميركية، مضيفةً:\n"
                        "“من الآن فصاعداً سنذهب إلى الحرب المفتوحة مع الاحتلال الأميركي”")
    _declared, adding = doc.claims
    assert adding.cue.text == "مضيفةً" and adding.speaker.text == "كتائب حزب الله"
    assert adding.content.text.startswith("من الآن فصاعداً")


def test_french_inverted_present_and_comme_le_montre(pipeline):
    doc = run(pipeline, "Les soldats ont éliminé tous les djihadistes qui tentaient d'attaquer les positions de "
                        "l'armée, précise le média. Le départ des militaires américains de Qamichli s’est fait sous "
                        "les jets de pierres, comme le montre une vidéo diffusée par l’agence kurde Hawar.")
    media, video = doc.claims
    assert media.speaker.text == "le média" and media.cue.text == "précise"
    assert video.cue.text == "comme le montre"
    assert video.speaker.text == "une vidéo diffusée par l’agence kurde Hawar"
    assert video.content.text.startswith("Le départ des militaires américains")
    # "précise" as an adjective is no cue
    doc = run(pipeline, "Dans le cadre d’une vaste opération précise, l’armée s’est emparée de trois villages.")
    assert doc.claims == []


def test_attribution_after_a_conjunction_says_what_follows(pipeline):
    doc = run(pipeline, "Mais les forces kurdes ont démenti et, selon l’Observatoire syrien des droits de l’Homme "
                        "(OSDH) et un correspondant de l’AFP sur place, les forces turques sont entrées dans la ville.")
    [claim] = [c for c in doc.claims if c.cue.text == "selon"]
    assert claim.speaker.text == "l’Observatoire syrien des droits de l’Homme (OSDH) et un correspondant de l’AFP sur place"
    assert claim.content.text == "les forces turques sont entrées dans la ville"


def test_quoted_as_saying_and_an_aside_pronoun(pipeline):
    doc = run(pipeline, "SITE quoted a JNIM statement as saying that five days ago fighters stormed a military post "
                        "in the town.")
    [claim] = doc.claims
    assert claim.speaker.text == "a JNIM statement" and claim.cue.text == "as saying"
    assert claim.via is not None and claim.via.text == "SITE"
    # ", he said," inside a statement is no claim of its own
    doc = run(pipeline, "Iran’s Foreign Minister Mohammad Javad Zarif blasted Trump for “ignorant hate speech” "
                        "which, he said, was unworthy of a considered response.")
    [claim] = doc.claims
    assert claim.cue.text == "blasted" and claim.content.text.endswith("unworthy of a considered response")


def test_nested_that_clause_and_two_statements_side_by_side(pipeline):
    # "warned" inside the that-clause of "said" is what Konashenkov says, not a claim of its own
    doc = run(pipeline, "Defense Ministry Spokesman Igor Konashenkov said that the Russian side warned the US "
                        "command in Al Udeid that any attempts of shelling will be curbed.")
    [claim] = doc.claims
    assert claim.cue.text == "said" and "warned the US command" in claim.content.text
    # "called it" characterises; "while" opens the next statement
    doc = run(pipeline, "The New York Times called it “a bellicose debut” while the Washington Post said Trump’s "
                        "speech was “an incoherent mess.”")
    times, post = doc.claims
    assert times.speaker.text == "The New York Times" and times.cue.text == "called it"
    assert times.stance == "accuse" and times.content.text == "a bellicose debut"
    assert post.speaker.text == "the Washington Post" and post.cue.text == "said"


def test_no_claim_from_a_bare_participle_or_a_rule_followed(pipeline):
    # an English participle with no comma before it describes, it does not report
    doc = run(pipeline, "One picture reportedly shows the body of a pilot who had appeared on Syrian state "
                        "television before the attack explaining how the army could easily defend the base.")
    assert [c.cue.text for c in doc.claims] == ["shows"]
    # "selon le calendrier" names no source
    doc = run(pipeline, "« L'opération continuera selon le calendrier et aux endroits que nous déciderons », a "
                        "déclaré le porte-parole de l'armée.")
    [claim] = doc.claims
    assert claim.cue.text == "a déclaré" and claim.speaker.text == "le porte-parole de l'armée"


def test_sentences_glued_on_a_scraped_page_are_read_apart(pipeline):
    doc = run(pipeline, "Des responsables maliens ont attribué ce coup de force à des terroristes.« Les assaillants "
                        "étaient plus d'une centaine, a déclaré à l'AFP un habitant de Sokolo, Baba Gakou.")
    attributed, declared = doc.claims
    assert attributed.speaker.text == "Des responsables maliens"
    assert declared.speaker.text == "un habitant de Sokolo, Baba Gakou" and declared.cue.text == "a déclaré"
    # an embedded tweet's date run into the next paragraph
    doc = run(pipeline, "Le bilan provisoire est de 19 morts. pic.twitter.com/sgQjcajf2C— Forces Armées Maliennes "
                        "(@FAMa_DIRPA) January 26, 2020Peu avant, une source militaire malienne a affirmé que le "
                        "bilan était d'au moins 18 gendarmes tués.")
    [claim] = doc.claims
    assert claim.speaker.text == "une source militaire malienne"


def test_relative_pronoun_speaker_is_its_antecedent(pipeline):
    doc = run(pipeline, "Il a rencontré un responsable de l'armée qui a affirmé que les forces turques avaient "
                        "capturé Ras al-Aïn.")
    [claim] = doc.claims
    assert claim.speaker.text == "un responsable de l'armée" and claim.cue.text == "a affirmé"
    doc = run(pipeline, "Such unilateral use of military force is also a violation of the Nuremberg principles which "
                        "condemned Nazi Germany for its aggression.")
    [claim] = doc.claims
    assert claim.speaker.text == "the Nuremberg principles"


def test_dateline_is_not_content(pipeline):
    doc = run(pipeline, "WASHINGTON / BAGHDAD – The US military carried out air strikes in Iraq and Syria against "
                        "an Iran-backed militia, the Pentagon said on Sunday.")
    [claim] = doc.claims
    assert claim.speaker.text == "the Pentagon"
    assert claim.content.text.startswith("The US military carried out air strikes")


def test_time_and_place_before_the_content_are_left_out(pipeline):
    doc = run(pipeline, "Le général a toutefois déclaré dimanche à Amman que les USA étaient en contact étroit avec "
                        "la Turquie.")
    [claim] = doc.claims
    assert claim.content.text == "que les USA étaient en contact étroit avec la Turquie"
    doc = run(pipeline, "On Saturday, Syrian government troops completely liberated Mayadeen, the Russian Defense "
                        "Ministry said.")
    [claim] = doc.claims
    assert claim.content.text == "Syrian government troops completely liberated Mayadeen"


def test_content_makes_the_stance(pipeline):
    doc = run(pipeline, "Trump said the US would “totally destroy” North Korea if it threatened America.")
    said = [c for c in doc.claims if c.cue.text == "said"]
    assert said and said[0].speaker.text == "Trump" and said[0].stance == "warn"
    doc = run(pipeline, "The strike is likely to be carried out by drones, the official said.")
    [claim] = doc.claims
    assert claim.speaker.text == "the official" and claim.stance == "speculate"
    doc = run(pipeline, "Selon des médias iraniens, les États-Unis et la Turquie discuteraient du blocage du Bosphore.")
    [claim] = doc.claims
    assert claim.stance == "speculate"
    doc = run(pipeline, "Damas affirme que les forces américaines devraient quitter le territoire syrien.")
    [claim] = doc.claims
    assert claim.stance == "demand"


def test_narration_without_a_source_is_no_claim(pipeline):
    doc = run(pipeline, "L'armée syrienne a repris la ville d'Abou Kamal dimanche.")
    assert doc.claims == []
    assert all(e.certainty == "asserted" for e in doc.events)


# -- the eval -------------------------------------------------------------------------------------

def test_eval_claims_scores_a_page(tmp_path):
    from furat.eval.claims import evaluate

    text = "The ministry said ISIS attacked the base. Russia denied the report."
    gold = {"id": "p1", "language": "en", "events": [], "not_events": [], "disputes": [], "claims": [
        {"speaker": "The ministry", "speaker_kind": "organisation", "cue": "said",
         "content": "ISIS attacked the base", "stance": "assert", "hedged": False, "via": None, "about": None}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    from furat.model import Claim, Span

    def span(t: str) -> Span:
        i = text.index(t)
        return Span(text=t, start=i, end=i + len(t))

    from furat.model import Actor
    doc = Document(id="p1", source="p1", raw_sha256="-", text=text, claims=[
        Claim(speaker=Actor(**span("The ministry").model_dump()), cue=span("said"),
              content=span("ISIS attacked the base"), stance="assert"),
        Claim(speaker=Actor(**span("Russia").model_dump()), cue=span("denied"),
              content=span("the report"), stance="deny")])
    summary = evaluate([path], [doc]).summary
    assert summary["speaker_cue_r"] == 1.0 and summary["speaker_cue_p"] == 0.5
    assert summary["content_exact_f1"] == pytest.approx(2 / 3, abs=1e-3)
    assert summary["stance"] == 1.0


# -- the store and `furat claims` -----------------------------------------------------------------

def test_claims_are_stored_and_queried(tmp_path, seeds_dir):
    from tests.conftest import run_cli

    db = tmp_path / "c.duckdb"
    seed = str(next(seeds_dir.glob("003_*.txt")))
    assert run_cli("ingest", seed, "--db", str(db)).returncode == 0
    result = run_cli("claims", "--db", str(db), "--stance", "accuse", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    rows = json.loads(result.stdout)
    assert {r["speaker"] for r in rows} >= {"La source", "Les mêmes sources"}
    assert all(r["stance"] == "accuse" and r["source"].endswith(".txt") for r in rows)
    sourced = json.loads(run_cli("claims", "--db", str(db), "--speaker", "source militaire",
                                 "--format", "json").stdout)
    assert any("trois martyrs" in r["content"] for r in sourced)
    told = [r for r in sourced if json.loads(r["events"])]
    assert told, "a claim reports at least one stored event"
    event = json.loads(told[0]["events"])[0]
    by_event = json.loads(run_cli("claims", "--db", str(db), "--event", event, "--format", "json").stdout)
    assert told[0]["claim_id"] in {r["claim_id"] for r in by_event}
