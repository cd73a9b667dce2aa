"""docs/policy-format.md documents exactly the keys the loader accepts, and its example policy loads and checks."""

from __future__ import annotations

import re
import tomllib

import pytest

from hesket_cli import policy_file, policy_letters, policy_settings
from hesket_cli.policy import CONDITION_KINDS, LEADS_TO, REQUIRED_ACTIONS, RESERVED_IDS, STAGES
from hesket_cli.policy_check import check_logic
from hesket_cli.policy_file import parse_policy

from conftest import ROOT

PAGE = (ROOT / "docs" / "policy-format.md").read_text(encoding="utf-8")

# Each section of the page, by the start of its heading, and the loader's own list of the keys it accepts there.
SECTIONS = {
    "## The top level": policy_file._TOP_KEYS,
    "## `[policy]`": policy_file._HEADER_KEYS,
    "## `[considerations.<id>]`": policy_file._CHECKLIST_KEYS,  # a checklist item's keys: the others' and `harm`
    "## `[posters.<id>]`": policy_file._POSTER_KEYS,
    "## `[platforms.<id>]`": policy_file._PLATFORM_KEYS,
    "## `[steps.<id>]`": policy_file._STEP_KEYS,
    "## `[outcomes.<id>]`": policy_file._OUTCOME_KEYS,
    "## `[actions.<id>]`": policy_file._ACTION_KEYS,
    "## `[notices.<id>]`": policy_file._NOTICE_KEYS,
    "## `[helpline]`": policy_settings.KEYS,
    "## `[raise_concerns]`": policy_letters.RAISE_CONCERNS_KEYS,
    "## `[timings]`": tuple(policy_file.TIMING_DEFAULTS),
    "## `[template]`": policy_file._TEMPLATE_KEYS,
}


def _section(heading: str) -> str:
    start = PAGE.index(heading)
    end = PAGE.find("\n## ", start + 1)
    return PAGE[start:] if end < 0 else PAGE[start:end]


def _documented(heading: str) -> list[str]:
    """The keys in a section's table, in order: the first cell of each row, `key`."""
    return re.findall(r"^\| `([a-z_]+)` \|", _section(heading), re.M)


@pytest.mark.parametrize("heading", SECTIONS)
def test_every_key_the_loader_accepts_is_documented_and_no_other(heading):
    """Each section's table lists exactly the loader's keys for it, in the loader's order."""
    assert list(SECTIONS[heading]) == _documented(heading)


@pytest.mark.parametrize("heading", SECTIONS)
def test_every_documented_key_says_whether_it_is_required_and_gives_an_example(heading):
    """Each row has 'yes' or 'no' for required, a meaning, and an example in backquotes."""
    rows = re.findall(r"^\| `[a-z_]+` \| (yes|no) \| ([^|]+) \| `[^`]+` \|$", _section(heading), re.M)
    assert len(SECTIONS[heading]) == len(rows)


def test_the_items_section_covers_each_kind_of_question():
    """Considerations, checklist items, judgements and [other] share the documented item keys."""
    heading = PAGE[PAGE.index("## `[considerations.<id>]`"):].split("\n", 1)[0]
    assert ["[checklist.<id>]", "[judgement.<id>]", "[other]"] == [
        k for k in ("[checklist.<id>]", "[judgement.<id>]", "[other]") if k in heading]


def test_the_values_the_loader_knows_are_documented():
    """Stages, where outcomes lead, the three actions, condition kinds and reserved ids all appear on the page."""
    words = [*STAGES, *LEADS_TO, *REQUIRED_ACTIONS, *(f"{kind}." for kind in CONDITION_KINDS),
             *(f"{section.rstrip('s')}.{i}" for section, ids in RESERVED_IDS.items() for i in ids)]
    assert [] == [w for w in words if f"`{w}" not in PAGE]


def test_the_pages_small_policy_loads_and_can_work():
    """The complete small policy at the end of the page loads and has no logic problem."""
    example = PAGE.split("## A complete small policy", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    policy = parse_policy(tomllib.loads(example), display="docs/policy-format.md")
    assert ((), None, "2019", []) == (policy.considerations, policy.other, policy.header.adopted, check_logic(policy))


def test_the_readme_links_the_page_from_the_policy_as_data():
    """The README's "The policy as data" points to the format's reference page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The policy as data", 1)[1].split("\n## ", 1)[0]
    assert "(docs/policy-format.md)" in section
