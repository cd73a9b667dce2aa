"""policy.toml's [helpline]: the school's own setting, read as strictly as the policy, never taken for its words."""

from __future__ import annotations

from pathlib import Path

import pytest

from hesket_cli.errors import PolicyError
from hesket_cli.policy_file import load_policy

from conftest import POLICY_FILE

POLICY_TOML = POLICY_FILE.read_text(encoding="utf-8")


def _problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert 1 == POLICY_TOML.count(old)
    path = tmp_path / "policy.toml"
    path.write_text(POLICY_TOML.replace(old, new), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return [line.split(": ", 2)[-1] for line in caught.value.details]


def test_the_shipped_helpline_setting_waits_two_days_and_is_at_once_for_safeguarding(policy):
    """The shipped setting: contact_helpline, 2 days after contact_provider, at once under the safeguarding notice."""
    setting = policy.helpline
    assert ("contact_helpline", 2, ("safeguarding",), "posh", True) == (
        setting.event, setting.wait_days, setting.at_once_with, setting.contacts,
        "contact_helpline" in policy.event_ids)


def test_the_helpline_setting_is_not_quoted_as_the_policys_words(policy):
    """The policy's quotes (checked against policy.txt) never include the school's own setting."""
    assert [] == [place for place, _ in policy.quotes() if place.startswith("helpline")]


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('at_once_with = ["safeguarding"]', 'at_once_with = ["safeguard"]', "unknown notice 'safeguard'; known: safeguarding"),
    ("wait_days = 2\n", "wait_days = -1\n", "must be a whole number of days (0 or more), found -1 (int)"),
    ('event = "contact_helpline"', 'event = "contact_provider"',
     "'contact_provider' is already an event of the policy; choose a new id"),
    ("platform_report = true\n", "",
     "follows the step of complaining to the site: mark that step platform_report = true"),
    ('contacts = "posh"\n', 'contacts = "posh"\ncolour = "red"\n',
     "unknown key 'colour'; allowed: event, title, text, wait_days, at_once_with, contacts"),
])
def test_a_wrong_helpline_setting_is_refused_at_its_place(tmp_path, old, new, problem):
    """Each mistake in [helpline] is named with its place, as the rest of the file's are."""
    assert [problem] == _problems(tmp_path, old, new)
