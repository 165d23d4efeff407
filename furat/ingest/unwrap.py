"""Hard-wrapped text back into whole lines: wire copy cut at ~70 characters ("Islamic State militants
have\\nexecuted Syrian army soldiers…") would otherwise give one paragraph per line, and sentence
splitting, parsing and role reading would see half-sentences.

Only a page that is wrapped as a whole is touched: most of its line breaks fall inside a sentence
(the line ends without closing punctuation and the next one goes on in lower case). Then every break
after a line that does not close a sentence becomes a space when the next line goes on in lower case
or the line is as long as wrapped lines are (a short one may be a heading); a break after ".", "?", "!" or a
closing quote stays a paragraph break. Scripts without case (Arabic) are never judged wrapped, and a
page of menus and short lines is left alone. Written here because trafilatura and the cleaning
libraries keep the line breaks of plain text as they are.
"""

from __future__ import annotations

import itertools
import re

# the line closes a sentence (or a heading ends with a colon)
_CLOSES = re.compile(r"[.!?:…؟\"'»”’)\]]\s*$")
_GOES_ON = re.compile(r"\s*[a-zà-ÿœæ(\"'“«,;]")
MIN_WRAPPED_BREAKS = 5  # a short page is not judged on two or three breaks
MIN_WRAPPED_SHARE = 0.4  # of the breaks between two non-blank lines
MAX_WRAP_WIDTH = 100  # wrapped lines are short; a page of long lines was not wrapped
# a line cut by the wrap before a capital ("…with the\nSyrian army"); a shorter one may be a heading
MIN_FULL_LINE = 40


def _inside_sentence(line: str, following: str) -> bool:
    return not _CLOSES.search(line) and bool(_GOES_ON.match(following))


def is_hard_wrapped(text: str) -> bool:
    """Whether most breaks between non-blank lines of `text` cut a sentence."""
    lines = text.split("\n")
    pairs = [(a, b) for a, b in itertools.pairwise(lines) if a.strip() and b.strip()]
    if len(pairs) < MIN_WRAPPED_BREAKS:
        return False
    cut = sum(_inside_sentence(a, b) for a, b in pairs)
    long_lines = sum(len(a.strip()) > MAX_WRAP_WIDTH for a, _ in pairs)
    share = cut >= MIN_WRAPPED_SHARE * len(pairs)
    return cut >= MIN_WRAPPED_BREAKS and share and long_lines <= len(pairs) // 10


def unwrap(text: str) -> str:
    """`text` with the breaks inside its sentences made spaces, when it is hard-wrapped as a whole;
    unchanged otherwise (same length either way: one character for one)."""
    if not is_hard_wrapped(text):
        return text
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines[:-1]):
        following = lines[i + 1]
        joined = line.strip() and following.strip() and not _CLOSES.search(line) and (
            _GOES_ON.match(following) or len(line.strip()) >= MIN_FULL_LINE)
        out.append(line + (" " if joined else "\n"))
    out.append(lines[-1])
    return "".join(out)
