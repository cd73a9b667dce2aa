"""Hypothesis strategies shared by the tests: answer sets and free text.

Answer sets are drawn from the policy's own ids, so a property tested over
them holds for whatever the policy file lists.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

TODAY = dt.date(2026, 11, 24)

# Any text a user might type or paste: any Unicode (but lone surrogates, which
# cannot be written as UTF-8), newlines, tabs, quotes, very long lines.
free_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=2000)
non_blank_text = free_text.filter(lambda s: s.strip() != "")


@st.composite
def answers_data(draw, policy, *, platform=None, poster=None):
    """An answers mapping in the answers file's shape, valid for `policy`."""
    incident = {
        "observed_on": draw(st.dates(min_value=dt.date(2016, 12, 1), max_value=TODAY)),
        "platform": platform or draw(st.sampled_from([p.id for p in policy.platforms])),
        "poster": poster or draw(st.sampled_from([p.id for p in policy.posters])),
        "summary": draw(non_blank_text),
    }
    if draw(st.booleans()):
        incident["location"] = draw(free_text)
    checklist = {i.id: draw(st.booleans()) for i in policy.checklist}
    if draw(st.booleans()):
        checklist["other"] = draw(free_text)
    return {
        "incident": incident,
        "considerations": {i.id: draw(st.booleans()) for i in policy.considerations},
        "checklist": checklist,
        "judgement": {i.id: draw(st.booleans()) for i in policy.judgements},
    }

# Non-blank text a user can pass as one command-line argument: free_text
# without NUL, which argv cannot carry.
cli_text = free_text.map(lambda s: s.replace("\x00", "")).filter(lambda s: s.strip() != "")
