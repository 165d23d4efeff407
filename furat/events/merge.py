"""One real occurrence, one event: retellings within a document merge into the first telling.

A story tells its main event in the headline, the lead, a recap, a quoted statement and a toll
sentence (EVENTS.md §2). Two events of a document are one occurrence when they have the same PLOVER
type, no field that tells them apart (a different day, place, named doer or ACLED sub-event), and
something that ties them (`_tied`): a reference back ("the attack", "l'attaque", "الهجوم"), the same
place, the same day and doer, or a method-less trigger told close after. A death with no doer named
is the toll of the last act of its type. The merged event keeps the first evidence, lists the
others as `mentions`, and takes the most specific date and place and the stated tolls.
"""

from __future__ import annotations

from datetime import date

from furat.events.adversary import one_state
from furat.events.lexicon import VERBAL
from furat.model import Actor, Event
from furat.time.govern import REPORT_LAG_DAYS

NEAR_CHARS = 400
# Sub-events that a generic trigger ("attack", "killed", "clashes") may be a retelling of.
GENERIC_SUBTYPES = {None, "Armed clash"}
TERRITORY_SUBTYPES = {"Government regains territory", "Non-state actor overtakes territory"}


def _date_ok(a: Event, b: Event) -> bool:
    """Dates that do not tell two acts apart: one within the other ("2017-09" and "2017-09-20")."""
    if not a.date or not b.date:
        return True
    return a.date.startswith(b.date) or b.date.startswith(a.date)


def _next_day_same_method(a: Event, b: Event) -> bool:
    """The same specific method told on days one apart: one night raid dated by either of its days
    ("dans la nuit du 2 au 3 janvier", "ce 2 janvier"); a shelling and next day's clashes stay two."""
    return bool(a.date and b.date and len(a.date) == len(b.date) == 10 and _days_apart(a.date, b.date) == 1
                and a.acled_subtype == b.acled_subtype and a.acled_subtype not in GENERIC_SUBTYPES)


def _same_day(a: Event, b: Event) -> bool:
    return bool(a.date and b.date and len(a.date) == 10 and a.date == b.date)


def _days_apart(a: str, b: str) -> int:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return -1


def _place_ok(a: Event, b: Event) -> bool:
    if a.place is None or b.place is None or a.place.lat is None or b.place.lat is None:
        return True  # an unresolved place cannot tell two events apart
    pa, pb = a.place, b.place
    if pa.gazetteer_id and pa.gazetteer_id == pb.gazetteer_id:
        return True
    names = {pa.name or pa.text, pa.text}
    if names & {pb.name or pb.text, pb.text}:
        return True
    # a town and its province, a country and a town in it: the more specific one wins later
    return (
        bool(pa.admin1 and pa.admin1 in (pb.admin1, pb.name))
        or bool(pb.admin1 and pb.admin1 == pa.name)
        or bool(
            pa.country_code
            and pa.country_code == pb.country_code
            and "PCL" in ((pa.feature or "") + (pb.feature or ""))
        )
    )


def _actor_key(e: Event) -> str | None:
    return e.actor1.name if e.actor1 else None


def _actor_ok(a: Event, b: Event) -> bool:
    """Only two named, different doers tell events apart: a phrase ("the militants") does not."""
    ka, kb = _actor_key(a), _actor_key(b)
    if ka is None or kb is None or ka == kb or one_state(a.actor1, b.actor1):
        return True
    # the same fight told from the other side: "X attacked Y" and "Y clashed with X"
    ta = a.actor2.name if a.actor2 else None
    tb = b.actor2.name if b.actor2 else None
    return ka == tb and kb == ta


def _generic(e: Event) -> bool:
    """A trigger that names no method ("attack", "killed", "clashes"): a retelling more often
    than a new event."""
    return e.mode is None and e.acled_subtype in GENERIC_SUBTYPES


def _subtype_ok(a: Event, b: Event) -> bool:
    """Sub-event types that one act can carry: the same, or one that names no method. Taking ground
    and fighting or striking there are two actions ("une nouvelle percée à Deir ez-Zor" and "les
    avions ont frappé dimanche"; "ont réussi lundi à franchir l'Euphrate" and the day's "combats"),
    so a territory type never takes a retelling of another type, not even a generic one."""
    if (a.acled_subtype in TERRITORY_SUBTYPES) != (b.acled_subtype in TERRITORY_SUBTYPES):
        return False
    return (
        a.acled_subtype == b.acled_subtype
        or a.acled_subtype in GENERIC_SUBTYPES
        or b.acled_subtype in GENERIC_SUBTYPES
    )


def _tied(a: Event, b: Event, anaphoric: bool) -> bool:
    """What makes `b` a retelling of `a`: a reference back ("the attack"), the same place, or the
    same day and doer; a trigger that names no method ("killed", "clashes") also when it follows
    closely. Two specific acts told close together are two acts ("captured X … destroyed Y")."""
    if anaphoric:
        return True
    same_place = a.place is not None and b.place is not None and a.place.lat is not None and \
        (a.place.name or a.place.text) == (b.place.name or b.place.text)
    same_day = bool(a.date and b.date and a.date == b.date and len(a.date) == 10)
    ka, kb = _actor_key(a), _actor_key(b)
    if same_place or (same_day and (ka is None or kb is None or ka == kb or one_state(a.actor1, b.actor1))):
        return True
    # the same doer doing the same specific thing, one telling undated: its retelling ("القوات
    # الأميركية قصفت مواقعها" … "قصفت بشدة يوم امس الاثنين مواقع تابعة لعناصرها")
    if ka is not None and ka == kb and (not a.date or not b.date) and a.acled_subtype == b.acled_subtype \
            and a.acled_subtype not in GENERIC_SUBTYPES:
        return True
    assert a.evidence is not None and b.evidence is not None
    # close after the act's last telling so far (its retellings move it on)
    last = max((m.end for m in a.mentions if m.end <= b.evidence.start), default=a.evidence.end)
    return _generic(b) and b.evidence.start - max(last, a.evidence.end) <= NEAR_CHARS


def _report_lag(a: Event, b: Event, a_reported: bool, b_reported: bool) -> bool:
    """One of the two is dated by the day it was reported, the other by its own day at most
    REPORT_LAG_DAYS before ("a rapporté mercredi" / "ils ont été tués lundi")."""
    if a_reported == b_reported or not a.date or not b.date or len(a.date) != 10 or len(b.date) != 10:
        return False
    report, own = (a.date, b.date) if a_reported else (b.date, a.date)
    try:
        lag = (date.fromisoformat(report) - date.fromisoformat(own)).days
    except ValueError:
        return False
    return 0 < lag <= REPORT_LAG_DAYS


def same_occurrence(a: Event, b: Event, anaphoric: bool = False) -> bool:
    """Whether `b` (told later) retells `a`. Statements merge only when the same named speaker
    makes them: two accusations by different voices are two events. A reference back ("les
    bombardements" after "des raids aériens") may name the method otherwise, within its ACLED type."""
    if a.type in VERBAL and not (_actor_key(a) and _actor_key(a) == _actor_key(b)):
        return False
    return (
        a.type == b.type
        and (_date_ok(a, b) or _next_day_same_method(a, b))
        and _place_ok(a, b)
        and _actor_ok(a, b)
        and (_subtype_ok(a, b) or (anaphoric and a.acled_type is not None and a.acled_type == b.acled_type))
        and _tied(a, b, anaphoric)
    )


def _one_side(a: Actor | None, b: Actor | None) -> bool:
    """One actor, or one state's parts ("Iraqi army units", "Iraqi forces")."""
    return a is not None and b is not None and ((bool(a.name) and a.name == b.name) or one_state(a, b))


def _more_specific_date(a: str | None, b: str | None) -> str | None:
    if not a:
        return b
    if b and len(b) > len(a) and b.startswith(a):
        return b
    return a


def absorb(record: Event, later: Event) -> None:
    """Fold a retelling into the event's record."""
    if later.evidence is not None:
        record.mentions.append(later.evidence)
    record.mentions.extend(later.mentions)
    if (d := _more_specific_date(record.date, later.date)) != record.date:
        record.date, record.date_precision = d, later.date_precision
    if record.place is None:
        record.place = later.place
    elif (
        later.place is not None
        and record.place.feature
        and later.place.feature
        and record.place.feature.startswith(("ADM", "PCL"))
        and later.place.feature.startswith("PPL")
    ):
        record.place = later.place  # the town told later is more specific than the province
    record.actor1 = record.actor1 or later.actor1
    if record.actor2 is None and not _one_side(record.actor1, later.actor2):
        record.actor2 = later.actor2  # a retelling's target, never the doer itself ("the U.S." twice)
    if record.fatalities is None:
        record.fatalities = later.fatalities
    if record.injured is None:
        record.injured = later.injured
    if record.acled_subtype is None and later.acled_subtype is not None:
        record.acled_type, record.acled_subtype, record.mode = (
            later.acled_type,
            later.acled_subtype,
            later.mode,
        )


def merge_occurrences(events: list[Event], anaphoric: set[int] | None = None, tolls: set[int] | None = None,
                      summaries: set[int] | None = None, apart: set[int] | None = None,
                      pointed: set[int] | None = None, sides: dict[int, str] | None = None,
                      report_dated: set[int] | None = None) -> list[Event]:
    """The events of one document, retellings folded into their first telling (text order kept).
    `anaphoric` holds the indices of events whose trigger refers back ("the attack"), `tolls`
    those that only count the dead of an act with no doer named ("three soldiers were killed"):
    these join the last act of their type that no other day tells apart. `summaries` count several
    acts ("trois attaques ont fait 4 morts"): such a sentence retells each act of its type that the
    text tells one by one and absorbs none of them; it is an event only when none is told. `apart`
    are told as one more act ("par ailleurs", "another attack"): never folded into an earlier one.
    `pointed` are pointed back at by a demonstrative ("this advance", "هذا التقدم"): retellings of an
    act told before, dropped when they retell none of the records (never a new event). `sides` tell
    on which side of its place an act is told ("شرق الفرات", "west of the Euphrates"): acts told on
    two sides of one place are two acts. `report_dated` are dated only by the day their report was
    made ("a rapporté mercredi"): a toll that tells the act's own day up to REPORT_LAG_DAYS before
    ("ils ont été tués lundi") is the same act's, and gives it that day."""
    anaphoric = anaphoric or set()
    tolls = tolls or set()
    summaries = summaries or set()
    apart = apart or set()
    sides = sides or {}
    report_dated = report_dated or set()
    records: list[Event] = []
    side_of: dict[int, str] = {}  # id of a record -> the side of its place it was first told on
    by_report: set[int] = set()  # ids of records dated only by their report's day

    def same_side(r: Event, i: int) -> bool:
        a, b = side_of.get(id(r)), sides.get(i)
        return a is None or b is None or a == b

    for i, event in enumerate(events):
        if i in summaries:
            continue
        if i in apart:
            target = None
        elif i in tolls:
            reported = i in report_dated
            candidates = [r for r in reversed(records) if r.type == event.type and same_side(r, i)]
            # a toll that tells its day belongs to the act told on that day (or reported up to
            # REPORT_LAG_DAYS after it) before any act told with no day
            target = next((r for r in candidates if _same_day(r, event)
                           or _report_lag(r, event, id(r) in by_report, reported)), None) or next(
                (r for r in candidates if _date_ok(r, event)), None)
        else:
            target = next((r for r in reversed(records)
                           if same_occurrence(r, event, i in anaphoric) and same_side(r, i)), None)
        if target is None and i in (pointed or set()):
            continue
        if target is None:
            records.append(event)
            if i in sides:
                side_of[id(event)] = sides[i]
            if i in report_dated:
                by_report.add(id(event))
        else:
            if id(target) in by_report and i not in report_dated and event.date and len(event.date) == 10:
                target.date, target.date_precision = event.date, event.date_precision  # its own day
                by_report.discard(id(target))
            absorb(target, event)
            if i in sides:
                side_of.setdefault(id(target), sides[i])
    for i in sorted(summaries):
        summary = events[i]
        told = [r for r in records
                if r.type == summary.type and _date_ok(r, summary) and _place_ok(r, summary)]
        for record in told:
            if summary.evidence is not None:
                record.mentions.append(summary.evidence)
        # "four fighters were killed after three air strikes": the toll of the one act of that method
        # the text tells ("carried out air strikes"), never shared out among several
        same_method = [r for r in told if r.acled_subtype == summary.acled_subtype
                       and summary.acled_subtype not in GENERIC_SUBTYPES]
        if len(same_method) == 1 and same_method[0].fatalities is None and same_method[0].injured is None:
            same_method[0].fatalities, same_method[0].injured = summary.fatalities, summary.injured
        if not told:
            records.append(summary)
    return sorted(records, key=lambda e: e.evidence.start if e.evidence is not None else 0)
