"""retention.py: how long a closed case is kept, and the date after which it may be destroyed.

UK GDPR requires personal data to be kept no longer than needed, and a school
sets its periods in its own retention schedule (the Information and Records
Management Society's toolkit for schools is the usual starting point). The
period is therefore the school's setting, written as text such as "6 years"
or "18 months", counted from the date the case was closed. hesket does not
claim any IRMS period: the toolkit's rows for complaints and correspondence
were not found in a checked copy, so the school must read its own schedule.

SUGGESTED_DEFAULT is only a starting point, with its reasoning beside it. It
must be shown to the school as a default to confirm, never as a rule.

Pure: parses text and adds dates; never reads a file, a clock or the network.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, NamedTuple

from .errors import InvalidInput

# The IRMS publishes its toolkits for maintained schools and for academies;
# a local authority page linking to both (checked 2026-11-25):
IRMS_TOOLKIT = "https://www.irms.org.uk"
IRMS_TOOLKIT_LINKS = ("https://www.devon.gov.uk/support-schools-settings/school-effectiveness/governance/"
                      "gov-guidance-policy-and-tools/retention-guidelines/")
# A suggestion for the default, not a rule. Six years is the ordinary time
# limit for a claim in tort (Limitation Act 1980 s.2), the longest ordinary
# limit a case about a parent's post is likely to bear on (a defamation claim
# has one year, s.4A): a case kept six years after closing is still there if
# such a claim, a complaint or a question about how it was handled arrives in
# time. Sources, checked 2026-11-25:
#   the Act: http://www.legislation.gov.uk/ukpga/1980/58 (s.2: "six years
#   from the date on which the cause of action accrued"); s.4A as inserted by
#   the Defamation Act 1996 s.5: http://www.legislation.gov.uk/ukpga/1996/31/crossheading/limitation
# The school's retention schedule decides; it may well say otherwise.
SUGGESTED_DEFAULT = "6 years"
MAX_YEARS = 100

_RULE = re.compile(r"\s*([0-9]{1,4})\s*(years?|months?)\s*", re.IGNORECASE)


class RetentionRule(NamedTuple):
    """A period to keep a closed case: a whole number of years or months after it was closed."""

    amount: int
    unit: Literal["years", "months"]

    @property
    def months(self) -> int:
        """The period in months, which is how it is added to a date."""
        return self.amount * 12 if self.unit == "years" else self.amount

    def __str__(self) -> str:
        """The rule as the school wrote it, in the form parse_retention reads back."""
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"


class Retention(NamedTuple):
    """The rule in force in a workspace, and whether the school set it or it is hesket's suggested default."""

    rule: RetentionRule
    school_set: bool

    @property
    def set_by(self) -> Literal["school", "default"]:
        """`school` when the workspace's settings hold the rule, `default` when it is SUGGESTED_DEFAULT."""
        return "school" if self.school_set else "default"

    def describe(self) -> str:
        """The rule as a person should read it: whose it is, and where it is set."""
        if self.school_set:
            return f"{self.rule} after closing (the school's setting: [retention] after_closing in hesket.toml)"
        return (f"{self.rule} after closing (hesket's suggested default, not the school's own: set the period from "
                "the school's retention schedule in hesket.toml, [retention] after_closing)")


def retention_in_force(setting: str | None) -> Retention:
    """The workspace's rule (already checked when its settings were read), else the suggested default."""
    if setting is None:
        return Retention(parse_retention(SUGGESTED_DEFAULT), school_set=False)
    return Retention(parse_retention(setting, setting="retention.after_closing"), school_set=True)


def parse_retention(text: str, *, setting: str | None = "retention") -> RetentionRule:
    """Read a retention period such as "6 years", "1 year" or "18 months".

    Anything else raises InvalidInput naming `setting` (where the text came
    from, such as the workspace settings key; None where the caller names
    the place itself) and showing an example, because a period that is not
    understood must never turn into "keep for ever" or "destroy now" without
    anyone noticing.
    """
    found = _RULE.fullmatch(text) if isinstance(text, str) else None
    example = 'write a whole number of years or months, for example "6 years" or "18 months"'
    where = f"{setting}: " if setting else ""
    if found is None:
        shown = text if not isinstance(text, str) or len(text) <= 40 else text[:37] + "..."
        raise InvalidInput(f"{where}{shown!r} is not a retention period; {example}")
    amount = int(found.group(1))
    unit: Literal["years", "months"] = "years" if found.group(2).lower().startswith("year") else "months"
    rule = RetentionRule(amount, unit)
    if amount < 1 or rule.months > MAX_YEARS * 12:
        raise InvalidInput(f"{where}{text.strip()!r} is outside 1 month to {MAX_YEARS} years; {example}")
    return rule


def destroy_after(closed_on: dt.date, rule: RetentionRule) -> dt.date:
    """The date after which a case closed on `closed_on` may be destroyed: the same day, `rule` later.

    A case closed on 29 February is kept to 28 February in a year without
    one: the period ends on the last day of the month when the month is
    shorter, never spilling into the next month (which would keep it a day
    longer than the school's rule, or, counted the other way, a day less).
    """
    total = closed_on.year * 12 + (closed_on.month - 1) + rule.months
    year, month = divmod(total, 12)
    month += 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day  # no calendar import
    return dt.date(year, month, min(closed_on.day, last_day))
