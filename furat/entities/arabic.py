"""Arabic token norms for the trained NER: the same clitic-free key the actor dictionaries use.

NewsFANE has ~2,300 training sentences; sharing one embedding row between والجيش, للجيش and الجيش
is what lets a small CNN generalise. The norms are set by a pipeline component (first in
furat/data/entities/ar_ner, listed in `annotating_components` of scripts/ner_ar.cfg so that training
sees them too); importing this module registers it, which the entities stage does before loading.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from furat.actors.normalize import key


def set_norms(doc: Doc) -> Doc:
    for tok in doc:
        tok.norm_ = key(tok.text) or tok.text
    return doc


@Language.component("furat_ar_norms")
def ar_norms(doc: Doc) -> Doc:
    return set_norms(doc)
