"""Time normalisation cost of a ~600-word document after loading (target: < 5 ms on one core).

Run: python bench/bench_time.py. The text is made of written news sentences in the three
languages, at a news-like density of time expressions and at an extreme one (every sentence);
the caches (`_candidates` per text, `key` per matched word) are cleared before each run so that
the figure is the cost of a new document, not of a cache hit. CPU time is printed beside wall
time: on a shared machine the wall clock also counts the other processes.
"""

from __future__ import annotations

import statistics
import time

from furat.time import tagger
from furat.time.rules import key

SENTENCES = {
    "en": ("On Monday, Syrian government troops crossed the Euphrates river, sealing off the city on "
           "three sides. The offensive began in March 2016 and the siege lasted three weeks, officials "
           "said yesterday, adding that talks would resume next week in Geneva. "),
    "fr": ("Des hommes armés ont attaqué le dimanche 24 janvier un bus de nuit près d'Al-Malha. La "
           "semaine dernière, des unités de l'armée ont libéré la ville, il y a une semaine les combats "
           "duraient depuis quelques jours. "),
    "ar": ("وتضاربت الأنباء أمس حول تنفيذ إنزال جوي في المعمل الذي سيطر عليه التنظيم في أيار 2014، "
           "وقالت مصادر إن الاشتباكات استمرت ثلاثة أيام خلال الأسبوع الماضي. "),
}


# Sentences with no time expression: real news has some 5-15 expressions per 600 words.
FILLER = {
    "en": ("Konashenkov said government forces control most of the city and that the militants were "
           "retreating towards the border with Iraq under heavy fire from artillery and aircraft. "),
    "fr": ("Le ministère de la Défense russe a fourni quelques informations concernant la situation "
           "dans l'est de la Syrie et le soutien de la coalition aux groupes armés de la région. "),
    "ar": ("وقالت مصادر ميدانية إن قوات الجيش السوري تقدمت في محيط المدينة الصناعية وسط اشتباكات "
           "عنيفة مع مسلحي التنظيم الذين انسحبوا نحو الحدود العراقية تحت غطاء ناري كثيف. "),
}


def document(lang: str, words: int = 600, dense: bool = False) -> str:
    """A text of `words` words: time sentences only (dense) or one in five (news-like)."""
    unit = SENTENCES[lang] + ("" if dense else FILLER[lang] * 4)
    text = ""
    while len(text.split()) < words:
        text += unit
    return text


def main(runs: int = 100) -> None:
    for dense in (False, True):
        for lang in SENTENCES:
            text = document(lang, dense=dense)
            tagger.tag(text, lang, "2017-09-21")  # load the rules
            times, cpu = [], []
            for _ in range(runs):
                tagger._candidates.cache_clear()
                key.cache_clear()
                t0, c0 = time.perf_counter(), time.process_time()
                found = tagger.tag(text, lang, "2017-09-21")
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            print(f"{'dense' if dense else 'news'} {lang}: {len(text.split())} words, {len(found)} "
                  f"expressions, median {statistics.median(times):.2f} ms (CPU median "
                  f"{statistics.median(cpu):.2f}, min {min(cpu):.2f} ms), max {max(times):.2f} ms")


if __name__ == "__main__":
    main()
