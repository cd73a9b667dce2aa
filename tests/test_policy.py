"""The policy file: its quotes are the published policy's words, it loads as the
policy says, the strict loader names the place of every problem, and a school
can add a checklist item or change a quote without touching code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from hesket_cli.answers import parse_answers, read_answers_file
from hesket_cli.case import Event
from hesket_cli.engine import assess
from hesket_cli.errors import ExitCode, PolicyError
from hesket_cli.policy import Condition, fold_whitespace
from hesket_cli.policy_check import check_quotes
from hesket_cli.policy_file import load_policy

from conftest import EXAMPLES, ROOT

POLICY_TOML = (ROOT / "policy.toml").read_text(encoding="utf-8")
POLICY_TXT = (ROOT / "policy.txt").read_text(encoding="utf-8")
TODAY = dt.date(2026, 11, 24)

NINTH_ITEM = '''
[checklist.sharing_photos]
title = "Sharing photographs of pupils"
question = "Does the post share photographs of pupils without permission?"
policy_text = "Safeguard pupils, staff and anyone associated with the school from the negative effects of social networking sites"
'''


def _edited(tmp_path: Path, *replacements: tuple[str, str], text: str | None = None, name: str = "policy.toml") -> Path:
    """A copy of the shipped policy.toml with each (old, new) replaced exactly once."""
    edited = POLICY_TOML if text is None else text
    for old, new in replacements:
        assert 1 == edited.count(old), f"{old!r} must occur once in policy.toml"
        edited = edited.replace(old, new)
    path = tmp_path / name
    path.write_text(edited, encoding="utf-8")
    return path


def _problems(path: Path) -> PolicyError:
    """The PolicyError raised when loading `path` (fails the test if it loads)."""
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return caught.value


def _with_ninth_item() -> str:
    """The shipped policy text with a ninth checklist item after threat_of_violence."""
    marker = "# The policy's list is non-exhaustive"
    assert 1 == POLICY_TOML.count(marker)
    return POLICY_TOML.replace(marker, NINTH_ITEM.lstrip("\n") + "\n" + marker)


def _kind_answers(policy, **checklist: bool):
    """The kind-post example's answers, with the given checklist items set."""
    data = read_answers_file(str(EXAMPLES / "kind-post.toml"))
    data["checklist"] = {**data["checklist"], **checklist}
    return parse_answers(data, policy, today=TODAY, source="kind-post.toml")


# -- the shipped policy -------------------------------------------------------


def test_every_policy_text_occurs_verbatim_in_policy_txt(policy):
    """Every quote in policy.toml is found word for word (whitespace folded) in policy.txt."""
    folded = fold_whitespace(POLICY_TXT)
    missing = [place for place, quote in policy.quotes() if fold_whitespace(quote) not in folded]
    assert [] == missing


def test_the_quote_check_finds_nothing_in_the_shipped_policy(policy):
    """policy check's quote check agrees: no quote is missing from policy.txt, nor differs in typography."""
    assert [] == check_quotes(policy, POLICY_TXT)


def test_every_quoted_item_carries_a_quote(policy):
    """Every consideration, checklist item, judgement and step has a non-blank policy_text."""
    places = [p for p, q in policy.quotes()]
    expected = (
        [f"considerations.{i.id}" for i in policy.considerations]
        + [f"checklist.{i.id}" for i in policy.checklist]
        + [f"judgement.{i.id}" for i in policy.judgements]
        + [f"steps.{s.id}" for s in policy.steps]
    )
    assert [] == [p for p in expected if p not in places]


def test_policy_txt_stands_alone_with_its_title_line():
    """The repository's policy.txt holds the published policy's title line."""
    lines = [line.strip() for line in POLICY_TXT.splitlines()]
    assert "POLICY ON PARENTAL USE OF SOCIAL NETWORKING AND INTERNET SITES" in lines
    assert "HIGH HESKET CE SCHOOL" in lines


def test_the_quote_check_reports_an_altered_quote_with_its_place(policy):
    """A quote not in the source text is an error reported with its place."""
    altered = POLICY_TXT.replace("Posting racist comments", "Posting unkind comments")
    assert [("checklist.racist.policy_text", "error")] == [(p.place, p.severity) for p in check_quotes(policy, altered)]


def test_shipped_policy_has_four_considerations(policy):
    """The four things to consider before posting, in the policy's order."""
    expected = ["wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact"]
    assert expected == [i.id for i in policy.considerations]


def test_shipped_policy_has_eight_checklist_items(policy):
    """The eight examples of inappropriate use, in the policy's order."""
    expected = ["naming_children", "staff_allegation", "cyberbullying", "complaint",
                "defamatory", "offensive", "racist", "threat_of_violence"]
    assert expected == [i.id for i in policy.checklist]


def test_escalation_ladder_is_in_the_documented_order(policy):
    """The escalation steps run written warning, provider, restrict, legal advice, legal action, police."""
    expected = ["written_warning", "contact_provider", "restrict_access", "legal_advice", "legal_action", "contact_police"]
    assert expected == [s.id for s in policy.steps if s.stage == "escalation"]


def test_shipped_policy_header(policy):
    """The header names the school, the title, the adoption and the last review."""
    h = policy.header
    expected = ("High Hesket CE School", "Policy on parental use of social networking and internet sites",
                "2016-12", "2024-11")
    assert expected == (h.school, h.title, h.adopted, h.last_reviewed)


def test_shipped_conditions_are_as_the_policy_says(policy):
    """The police, legal and restriction steps carry the policy's conditions."""
    expected = {
        "contact_police": (["checklist.racist", "checklist.threat_of_violence", "judgement.harassment",
                            "judgement.grossly_offensive"], ["checklist.threat_of_violence"], []),
        "legal_advice": (["checklist.defamatory", "judgement.legal_warranted"], [], []),
        "legal_action": ([], [], ["legal_advice"]),
        "restrict_access": (["platform.school_website", "platform.school_forum"], [], []),
        "discuss_and_request_removal": (["not poster.pupil"], [], []),
    }
    actual = {
        sid: ([str(c) for c in policy.step(sid).when], [str(c) for c in policy.step(sid).at_once_when],
              list(policy.step(sid).after))
        for sid in expected
    }
    assert expected == actual


def test_loaded_policy_is_frozen(policy):
    """The loaded policy cannot be changed by the code that uses it."""
    with pytest.raises(AttributeError):
        policy.header.school = "Another School"  # type: ignore[misc]


def test_loaded_policy_records_its_path_and_sha256(policy):
    """The policy remembers which file it came from and that file's SHA-256."""
    import hashlib

    expected = (str(ROOT / "policy.toml"), hashlib.sha256((ROOT / "policy.toml").read_bytes()).hexdigest())
    assert expected == (policy.path, policy.sha256)


# -- the strict loader ---------------------------------------------------------


def test_unknown_key_in_a_step_is_named_with_its_place(tmp_path):
    """A misspelt key ("wehn") is refused, naming the step and the allowed keys."""
    path = _edited(tmp_path, ('when = ["checklist.racist"', 'wehn = ["checklist.racist"'))
    error = _problems(path)
    assert [f"{path}: steps.contact_police.wehn: unknown key 'wehn'; "
            "allowed: title, stage, when, at_once_when, after, urgent, urgent_when, letters, platform_report, policy_text"] == list(error.details)
    assert error.details[0] == error.message


def test_missing_key_is_named_with_its_place(tmp_path):
    """A step without policy_text is refused, naming the step and the key."""
    path = _edited(tmp_path, ('policy_text = "Take other legal action against the individual"\n', ""))
    assert [f"{path}: steps.legal_action: missing key 'policy_text'"] == list(_problems(path).details)


def test_condition_naming_an_unknown_item_suggests_the_right_one(tmp_path):
    """A typo in a condition's id is refused at its place, with the likely intended id."""
    path = _edited(tmp_path, ('when = ["checklist.racist"', 'when = ["checklist.racism"'))
    expected = [f"{path}: steps.contact_police.when: unknown item 'racism' in 'checklist.racism'; "
                "did you mean 'checklist.racist'?"]
    assert expected == list(_problems(path).details)


def test_condition_with_an_unknown_kind_is_refused(tmp_path):
    """A condition whose kind is not one of the known kinds is refused at its place."""
    path = _edited(tmp_path, ('when = ["platform.school_website"', 'when = ["site.school_website"'))
    details = _problems(path).details
    assert 1 == len(details)
    assert details[0].startswith(f"{path}: steps.restrict_access.when: unknown kind 'site'")
    assert "allowed: checklist, consideration, judgement, platform, poster" in details[0]


def test_condition_that_cannot_be_read_is_refused(tmp_path):
    """A condition that is not 'kind.id' or 'not kind.id' is refused at its place."""
    path = _edited(tmp_path, ('when = ["not poster.pupil"]', 'when = ["unless poster.pupil"]'))
    details = _problems(path).details
    assert 1 == len(details)
    assert details[0].startswith(f"{path}: steps.discuss_and_request_removal.when: cannot read condition")


def test_duplicate_id_across_sections_is_refused(tmp_path):
    """A judgement with the same id as a checklist item is refused, naming both places."""
    extra = '\n[judgement.racist]\ntitle = "x"\nquestion = "x?"\npolicy_text = "Posting racist comments"\n'
    path = _edited(tmp_path, text=POLICY_TOML + extra)
    expected = [f"{path}: judgement.racist: duplicate id 'racist', already used at checklist.racist"]
    assert expected == list(_problems(path).details)


def test_duplicate_toml_table_is_invalid_toml_with_its_line(tmp_path):
    """Declaring a table twice is refused as invalid TOML, giving the line of the second."""
    text = POLICY_TOML + '\n[steps.no_action]\ntitle = "again"\n'
    path = _edited(tmp_path, text=text)
    line = text.splitlines().index("[steps.no_action]", POLICY_TOML.splitlines().index("[steps.no_action]") + 1) + 1
    error = _problems(path)
    assert error.message.startswith(f"{path}: not valid TOML: ")
    assert f"line {line}," in error.message


def test_wrong_type_is_refused_with_the_value_found(tmp_path):
    """A number where text is needed is refused, naming the key and the value found."""
    path = _edited(tmp_path, ('policy_text = "Take other legal action against the individual"',
                              "policy_text = 3"))
    assert [f"{path}: steps.legal_action.policy_text: must be non-blank text, found 3 (int)"] == list(
        _problems(path).details)


def test_unknown_stage_is_refused(tmp_path):
    """A stage other than appropriate, first or escalation is refused at its place."""
    path = _edited(tmp_path, ('asking for the post to be removed"\nstage = "escalation"',
                              'asking for the post to be removed"\nstage = "escalate"'))
    expected = [f"{path}: steps.written_warning.stage: unknown stage 'escalate'; allowed: appropriate, first, escalation"]
    assert expected == list(_problems(path).details)


def test_flagged_by_other_than_yes_or_no_is_refused_at_its_place(tmp_path):
    """`flagged_by` says which answer flags an item: only "yes" or "no" is accepted."""
    path = _edited(tmp_path, ('flagged_by = "no"\nhelp', 'flagged_by = "never"\nhelp'))
    assert [f"{path}: considerations.wrong_channel.flagged_by: must be \"yes\" or \"no\" (the answer that flags it), "
            "found 'never'"] == list(_problems(path).details)


def test_flagged_by_is_refused_on_a_judgement(tmp_path):
    """A judgement's yes is the school's own finding, never turned round: `flagged_by` there is an unknown key."""
    path = _edited(tmp_path, ('[judgement.harassment]\n', '[judgement.harassment]\nflagged_by = "no"\n'))
    assert 1 == len(_problems(path).details) and "judgement.harassment" in _problems(path).details[0]


def test_after_naming_an_unknown_step_is_refused(tmp_path):
    """An `after` naming a step that does not exist is refused at its place."""
    path = _edited(tmp_path, ('after = ["legal_advice"]', 'after = ["legal_advise"]'))
    assert [f"{path}: steps.legal_action.after: unknown step 'legal_advise'"] == list(_problems(path).details)


def test_a_letter_hesket_cannot_draft_is_refused_naming_the_letters_it_can(tmp_path):
    """A step's `letters` names only letters hesket has a template for; the error lists them."""
    path = _edited(tmp_path, ('letters = ["written_warning"]', 'letters = ["written_warnings"]'))
    assert [f"{path}: steps.written_warning.letters: unknown letter 'written_warnings'; allowed: discussion_invitation, "
            "discussion_record, written_warning, access_restricted, legal_advice_brief"] == list(_problems(path).details)


def test_a_letter_named_by_two_steps_is_refused(tmp_path):
    """A letter belongs to one step, so whether it is offered has one answer."""
    path = _edited(tmp_path, ('letters = ["access_restricted"]', 'letters = ["access_restricted", "written_warning"]'))
    assert [f"{path}: steps.restrict_access.letters: letter 'written_warning' already belongs to steps.written_warning; "
            "a letter belongs to one step"] == list(_problems(path).details)


def test_an_unknown_kind_of_harm_on_a_checklist_item_is_refused(tmp_path):
    """A checklist item's `harm` must be one of the kinds the reporting routes know."""
    path = _edited(tmp_path, ('harm = "hate"', 'harm = "racism"'))
    assert [f"{path}: checklist.racist.harm: unknown kind of harm 'racism'; allowed: harassment, defamation, "
            "impersonation, threat, hate, other"] == list(_problems(path).details)


def test_the_letters_and_the_platform_report_step_are_data_of_the_shipped_policy(policy):
    """Which step each letter belongs to, and which step `hesket report` prepares, come from policy.toml."""
    assert ({"discussion_invitation": "discuss_and_request_removal", "discussion_record": "discuss_and_request_removal",
             "written_warning": "written_warning", "access_restricted": "restrict_access",
             "legal_advice_brief": "legal_advice"}, "contact_provider") == (
        {kind: policy.letter_step(kind).id for kind in policy.letters}, policy.provider_step.id)


def test_unknown_top_level_key_is_refused(tmp_path):
    """A key at the top of the file that hesket does not know is refused, with the allowed keys."""
    path = _edited(tmp_path, ("format = 1\n", 'format = 1\ncolour = "red"\n'))
    details = _problems(path).details
    assert 1 == len(details)
    assert details[0].startswith(f"{path}: colour: unknown key 'colour'; allowed: format, policy,")


def test_missing_close_case_action_is_refused(tmp_path):
    """The close_case action must be there, since hesket suggests it."""
    path = _edited(tmp_path, ('[actions.close_case]\ntitle = "Close the case"\n', ""))
    assert [f"{path}: actions: missing [actions.close_case]"] == list(_problems(path).details)


def test_unknown_format_is_refused(tmp_path):
    """A policy written for another format of hesket is refused."""
    path = _edited(tmp_path, ("format = 1\n", "format = 2\n"))
    assert [f"{path}: format: this hesket reads policy format 1, found 2 (int)"] == list(_problems(path).details)


def test_several_problems_are_all_reported_at_once(tmp_path):
    """Every problem is listed in details; the message counts them."""
    path = _edited(
        tmp_path,
        ('when = ["checklist.racist"', 'wehn = ["checklist.racist"'),
        ('after = ["legal_advice"]', 'after = ["legal_advise"]'),
        ('[actions.close_case]\ntitle = "Close the case"\n', ""),
    )
    error = _problems(path)
    assert f"{path}: 3 problems; fix each and check again" == error.message
    expected = ["steps.legal_action.after", "steps.contact_police.wehn", "actions"]
    assert expected == [line.split(": ")[1] for line in error.details]


def test_non_utf8_policy_is_refused(tmp_path):
    """A policy file that is not UTF-8 is refused with one line saying so."""
    path = tmp_path / "policy.toml"
    path.write_bytes(POLICY_TOML.encode("utf-8").replace(b"racist comments", b"racist comm\xe9nts"))
    error = _problems(path)
    assert f"{path}: not UTF-8 text; save the file as UTF-8" == error.message
    assert ExitCode.INVALID == error.exit_code


def test_missing_policy_file_is_refused(tmp_path):
    """A policy file that is not there is refused with one line naming the path."""
    path = tmp_path / "nowhere.toml"
    error = _problems(path)
    assert (f"{path}: policy file not found; check the path given with --policy or HESKET_POLICY"
            == error.message)
    assert ExitCode.INVALID == error.exit_code


# -- changing the policy needs no code ---------------------------------------


def test_ninth_checklist_item_loads_without_code(tmp_path):
    """A new checklist table is read as a ninth item, after the eight, with its quote."""
    policy = load_policy(_edited(tmp_path, text=_with_ninth_item()))
    assert 9 == len(policy.checklist)
    last = policy.checklist[-1]
    assert ("sharing_photos", "Sharing photographs of pupils") == (last.id, last.title)
    assert [] == check_quotes(policy, POLICY_TXT)


def test_ticking_the_ninth_item_makes_the_post_inappropriate(tmp_path):
    """Ticking the new item alone makes the verdict inappropriate, with it as the reason."""
    policy = load_policy(_edited(tmp_path, text=_with_ninth_item()))
    assert "appropriate" == assess(policy, _kind_answers(policy, sharing_photos=False)).verdict
    assessment = assess(policy, _kind_answers(policy, sharing_photos=True))
    assert "inappropriate" == assessment.verdict
    assert [("sharing_photos", "checklist")] == [(r.id, r.kind) for r in assessment.reasons]


def test_answers_must_answer_the_ninth_item(tmp_path):
    """The new item is asked: answers that leave it out are refused."""
    from hesket_cli.errors import AnswersError

    policy = load_policy(_edited(tmp_path, text=_with_ninth_item()))
    with pytest.raises(AnswersError) as caught:
        _kind_answers(policy)
    assert "kind-post.toml: checklist.sharing_photos: missing; answer it with true or false" == caught.value.message


def test_a_condition_can_name_the_ninth_item(tmp_path):
    """A step's condition may name the new item, and the engine applies it."""
    text = _with_ninth_item().replace(
        'at_once_when = ["checklist.threat_of_violence"]',
        'at_once_when = ["checklist.threat_of_violence", "checklist.sharing_photos"]',
    )
    policy = load_policy(_edited(tmp_path, text=text))
    assert Condition("checklist", "sharing_photos", False) in policy.step("contact_police").at_once_when
    assessment = assess(policy, _kind_answers(policy, sharing_photos=True))
    assert "contact_police" == assessment.next_step.id
    assert ["discuss_and_request_removal", "contact_police"] == [s.id for s in assessment.permitted]


def test_a_when_condition_naming_the_ninth_item_permits_its_step(tmp_path):
    """Naming the new item in contact_police's `when` permits the police after a refusal."""
    text = _with_ninth_item().replace('when = ["checklist.racist"', 'when = ["checklist.sharing_photos", "checklist.racist"')
    policy = load_policy(_edited(tmp_path, text=text))
    at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    events = [Event(e, at, at.date(), "Ms T Example") for e in ("discuss_and_request_removal", "refused")]
    assessment = assess(policy, _kind_answers(policy, sharing_photos=True), events)
    assert "contact_police" in [s.id for s in assessment.permitted]


def test_changing_a_quote_changes_policy_show(tmp_path, run):
    """`hesket --policy COPY policy show` prints the copy's quote, not the shipped one."""
    path = _edited(tmp_path, ('policy_text = "Posting racist comments"', 'policy_text = "Posting racist remarks"'))
    published = (ROOT / "policy.txt").read_text(encoding="utf-8")
    (tmp_path / "policy.txt").write_text(published.replace("Posting racist comments", "Posting racist remarks"),
                                         encoding="utf-8")
    shipped = fold_whitespace(run("policy", "show").stdout)
    result = run("--policy", path, "policy", "show")
    assert 0 == result.exit_code, result.output
    shown = fold_whitespace(result.stdout)
    assert (True, False) == ("\u201cPosting racist remarks\u201d" in shown, "Posting racist comments" in shown)
    assert "\u201cPosting racist comments\u201d" in shipped


def test_the_wrong_channel_question_is_asked_the_policys_way_round_and_true_still_flags(policy, run):
    """The question asks whether the site was "the appropriate channel", as its quote does, with no flagging it;
    an answers file's `wrong_channel = true` still flags it."""
    item = next(c for c in policy.considerations if c.id == "wrong_channel")
    result = run("triage", "--dry-run", "--answers", EXAMPLES / "complaint-wrong-channel.toml", "--json")
    flagged = [r["id"] for r in json.loads(result.stdout)["reasons"] if r["kind"] == "consideration"]
    assert ("the appropriate channel" in item.policy_text, "the appropriate channel" in item.question,
            "NOT" in item.question, item.flagged_by, "wrong_channel" in flagged) == (True, True, False, "no", True)
