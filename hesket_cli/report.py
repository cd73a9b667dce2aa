"""report.py: the governors' summary as one self-contained, printable HTML page.

The page is built from the summary's counts alone (review.summary), so no
name, location, summary or note can reach it. It has no scripts, no fonts
and no links to fetch: it opens offline and prints as it looks. Every text
is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from .describe import plural
from .policy import Policy
from .review import month_title, summary_titles

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2rem auto; max-width: 46rem;
       color: #1b1b1b; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.1rem; margin-top: 1.6rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; text-align: left; }
td.n, th.n { text-align: right; width: 5rem; }
svg text { font-size: 11px; fill: #333; }
.note { color: #555; font-size: 0.9rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
"""


def summary_html(data: dict[str, Any], policy: Policy, today: dt.date, school: str | None = None) -> str:
    """The summary page: headline counts, a chart of cases per month, and a table per category.

    `school` is the school's name as its workspace gives it (else the policy's school).
    """
    h = policy.header
    school = school or h.school
    period = f"Cases seen since {data['since']}" if data["since"] else "All cases"
    titles = summary_titles(policy)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(school)}: social media cases summary</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(school)}: social media cases</h1>",
        f'<p class="meta">{escape(period)}, as of {today.isoformat()}. Under the {escape(h.title)} '
        f"({escape(h.dates_said)}).</p>",
        f"<p>{_count(data['cases'], 'case')}; {_count(data['overrides'], 'step')} taken by overriding the policy; "
        f"{_count(data.get('closed_with_steps_untaken', 0), 'case')} closed with steps untaken.</p>",
        "<h2>Cases per month</h2>",
        _month_chart(data["month"]),
    ]
    for key, heading in (("verdict", "Verdict"), ("checklist", "What the posts did (policy checklist)"),
                         ("platform", "Where they were posted"), ("poster", "Who posted them"),
                         ("step", "Steps the school took"),
                         ("declined", "Steps the school considered and decided not to take"),
                         ("outcome", "Outcomes after the discussion")):
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts.append(_table(data.get(key, {}), titles.get("step" if key == "declined" else key, {})))
    parts.append('<p class="note">Counts only: this summary holds no names, locations or descriptions of posts. '
                 "Made by hesket.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _count(count: int, noun: str) -> str:
    """A count in bold with its noun: `<strong>1</strong> case`, `<strong>2</strong> cases`."""
    return f"<strong>{count:,}</strong> {noun}{'' if count == 1 else 's'}"


def _table(counts: dict[str, int], titles: dict[str, str]) -> str:
    if not counts:
        return "<p>None.</p>"
    rows = "".join(
        f'<tr><td>{escape(titles.get(key, key))}</td><td class="n">{count}</td></tr>' for key, count in counts.items()
    )
    return f'<table><thead><tr><th>What</th><th class="n">Cases</th></tr></thead><tbody>{rows}</tbody></table>'


def _month_chart(months: dict[str, int]) -> str:
    """A simple bar chart as inline SVG (no script), one bar per month."""
    if not months:
        return "<p>None.</p>"
    width, height, top, bottom = 640, 180, 16, 28
    peak = max(months.values())
    step = width / len(months)
    bar = max(4.0, step * 0.7)
    bars = []
    every = max(1, -(-len(months) * 56 // width))  # label every n-th month so labels never overlap
    for index, (month, count) in enumerate(months.items()):
        h = (height - top - bottom) * count / peak
        x = index * step + (step - bar) / 2
        y = height - bottom - h
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#3b6ea5">'
            f"<title>{escape(month_title(month))}: {plural(count, 'case')}</title></rect>"
        )
        if count:
            bars.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{count}</text>')
        if index % every == 0:
            label = escape(month_title(month, short=True))
            bars.append(f'<text x="{x + bar / 2:.1f}" y="{height - 10}" text-anchor="middle">{label}</text>')
    return (f'<svg role="img" aria-label="Cases per month" viewBox="-32 0 {width + 64} {height}" width="100%" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')
