"""`hesket policy path|show|check`, and what every command does with a broken policy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hesket_cli.policy import fold_whitespace

from conftest import EXAMPLES, POLICY_FILE, ROOT, snapshot

POLICY_TOML = POLICY_FILE.read_text(encoding="utf-8")
LADDER = ["signpost_private_channel", "no_action", "discuss_and_request_removal", "discuss_child_use",
          "written_warning", "contact_provider", "restrict_access", "legal_advice", "legal_action", "contact_police"]


def _copy(tmp_path: Path, old: str = "", new: str = "", *, with_source: bool = True) -> Path:
    """A copy of policy.toml in its own folder (policy.txt beside it), with `old` replaced by `new`."""
    folder = tmp_path / "school"
    folder.mkdir(exist_ok=True)
    if old:
        assert 1 == POLICY_TOML.count(old)
    path = folder / "policy.toml"
    path.write_text(POLICY_TOML.replace(old, new) if old else POLICY_TOML, encoding="utf-8")
    if with_source:
        shutil.copyfile(ROOT / "policy.txt", folder / "policy.txt")
    return path


def _broken(tmp_path: Path) -> Path:
    """A copy whose contact_police condition names an item that does not exist."""
    return _copy(tmp_path, 'when = ["checklist.racist"', 'when = ["checklist.racism"')


def _assert_one_error_line(result, *, exit_code: int = 3) -> str:
    """The command failed with `exit_code`, one Error line on stderr, nothing on stdout, no traceback."""
    assert (exit_code, "") == (result.exit_code, result.stdout), result.output
    lines = result.stderr.splitlines()
    assert 1 == len(lines), result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


# -- policy path --------------------------------------------------------------


def test_policy_path_defaults_to_the_repository_policy(run):
    """Without --policy or HESKET_POLICY, the shipped policy.toml is in use."""
    result = run("policy", "path")
    assert (0, f"{POLICY_FILE.resolve()}\n") == (result.exit_code, result.stdout)


def test_policy_path_follows_the_policy_option(run, tmp_path):
    """--policy FILE makes that file the one in use."""
    path = _copy(tmp_path)
    result = run("--policy", path, "policy", "path")
    assert (0, f"{path.resolve()}\n") == (result.exit_code, result.stdout)


def test_policy_path_follows_the_environment(run, tmp_path):
    """HESKET_POLICY=FILE makes that file the one in use."""
    path = _copy(tmp_path)
    result = run("policy", "path", env={"HESKET_POLICY": str(path)})
    assert (0, f"{path.resolve()}\n") == (result.exit_code, result.stdout)


def test_policy_option_wins_over_the_environment(run, tmp_path):
    """--policy on the command line is used even where HESKET_POLICY is set."""
    path = _copy(tmp_path)
    result = run("--policy", path, "policy", "path", env={"HESKET_POLICY": str(tmp_path / "other.toml")})
    assert (0, f"{path.resolve()}\n") == (result.exit_code, result.stdout)


# -- policy show --------------------------------------------------------------


def test_policy_show_prints_the_school_and_the_considerations(run, policy):
    """The school, title and every consideration's question are shown."""
    result = run("policy", "show")
    assert 0 == result.exit_code, result.output
    shown = fold_whitespace(result.stdout)
    assert "High Hesket CE School" == result.stdout.splitlines()[0]
    expected = ["Policy on parental use of social networking and internet sites", "Adopted 2016-12, last reviewed 2024-11."]
    expected += [fold_whitespace(i.question) for i in policy.considerations]
    assert [] == [text for text in expected if text not in shown]


def test_policy_show_prints_each_checklist_title_with_its_quote(run, policy):
    """Every checklist item is shown by title, followed by its quote."""
    shown = fold_whitespace(run("policy", "show").stdout)
    assert "• Racist comments (racist) \u201cPosting racist comments\u201d" in shown
    missing = [i.id for i in policy.checklist
               if f"{i.title} ({i.id}) \u201c{fold_whitespace(i.policy_text)}\u201d" not in shown]
    assert [] == missing


def test_policy_show_prints_each_step_title_with_its_quote(run, policy):
    """Every step is shown by title, stage and its conditions in plain words, followed by its quote."""
    shown = fold_whitespace(run("policy", "show").stdout)
    assert ("Contact the police (contact_police, escalation) when: Racist comments, or Threat of violence, "
            "or A crime such as harassment, or Grossly obscene or grossly offensive "
            "at once when: Threat of violence urgent while permitted and not taken "
            "\u201cContact the police where the school feels it appropriate to do so") in shown
    assert "Take legal action against the individual (legal_action, escalation) after: Take legal advice" in shown
    assert "when: any of the considerations" in shown  # consideration.any, never "anything on the list"
    missing = [s.id for s in policy.steps
               if f"{s.title} ({s.id}, {s.stage})" not in shown or f"\u201c{fold_whitespace(s.policy_text)}\u201d" not in shown]
    assert [] == missing


def test_policy_show_json_is_the_policy_in_ladder_order(run):
    """`policy show --json` is valid JSON: the header and the steps in the ladder's order."""
    result = run("policy", "show", "--json")
    assert (0, "") == (result.exit_code, result.stderr)
    doc = json.loads(result.stdout)
    assert LADDER == [s["id"] for s in doc["steps"]]
    assert ("High Hesket CE School", "2024-11", str(POLICY_FILE)) == (doc["school"], doc["last_reviewed"], doc["path"])
    assert ["checklist.defamatory", "judgement.legal_warranted"] == next(
        s["when"] for s in doc["steps"] if s["id"] == "legal_advice")


def test_policy_show_json_follows_the_policy_option(run, tmp_path):
    """`--policy COPY policy show --json` shows the copy, with its changed quote."""
    path = _copy(tmp_path, 'policy_text = "Posting racist comments"', 'policy_text = "Posting racist remarks"')
    source = path.parent / "policy.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Posting racist comments", "Posting racist remarks"),
                      encoding="utf-8")
    result = run("--policy", path, "policy", "show", "--json")
    assert 0 == result.exit_code, result.output
    doc = json.loads(result.stdout)
    racist = next(i for i in doc["checklist"] if i["id"] == "racist")
    assert (str(path), "Posting racist remarks") == (doc["path"], racist["policy_text"])


# -- policy check -------------------------------------------------------------


def test_policy_check_passes_the_shipped_policy(run):
    """The shipped policy checks clean, with every quote found in policy.txt."""
    result = run("policy", "check", ROOT / "policy.toml")
    assert (0, "") == (result.exit_code, result.stderr)
    expected = (f"{ROOT / 'policy.toml'}: OK: 4 considerations, 8 checklist items, 10 steps, "
                "every quote found in policy.txt.\n")
    assert expected == result.stdout


def test_policy_check_passes_an_unchanged_copy(run, tmp_path):
    """A copy beside its own policy.txt checks clean."""
    path = _copy(tmp_path)
    result = run("policy", "check", path)
    assert 0 == result.exit_code, result.output
    assert "OK" in result.stdout


def _check_failed(result, path: Path, errors: int, warnings: int = 0, *, loads: bool = True) -> list[str]:
    """The check exited 3 with one Error line counting what it found; the problem lines it printed."""
    warned = f" and {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    later = "" if loads else "; the steps' logic is checked once the file loads"
    expected = (f"Error: {path}: {errors} error{'s' if errors != 1 else ''}{warned}; fix each error and check "
                f"again{later}\n")
    assert (3, expected) == (result.exit_code, result.stderr), result.output
    return result.stdout.splitlines()


def test_policy_check_names_a_typo_in_a_condition(run, tmp_path):
    """A typo'd id in a condition fails the check with its place and a suggestion."""
    path = _broken(tmp_path)
    lines = _check_failed(run("policy", "check", path), path, 1, loads=False)
    expected = [f"{path}: steps.contact_police.when: error: unknown item 'racism' in 'checklist.racism'; "
                "did you mean 'checklist.racist'?"]
    assert expected == lines


def test_policy_check_names_a_quote_not_in_the_policy_text_with_the_nearest_passage(run, tmp_path):
    """A quote altered by a word fails the check at its place, with the nearest passage and the first difference."""
    path = _copy(tmp_path, "giving them a warning", "giving them a final warning")
    lines = _check_failed(run("policy", "check", path), path, 1)
    assert 1 == len(lines)
    assert lines[0].startswith(f"{path}: steps.written_warning.policy_text: error: not found in the source; the "
                               "nearest passage (")
    assert ("first difference: the quote has f (U+0066) after \"\u2026the parent in writing, giving them a \", "
            "which the source lacks") in lines[0]


def test_policy_check_lists_every_problem_sorted_by_place(run, tmp_path):
    """Several problems: each on its own line, in the order of their places, then one Error line."""
    path = _copy(tmp_path, 'after = ["legal_advice"]', 'after = ["legal_advise"]')
    path.write_text(path.read_text(encoding="utf-8").replace('when = ["checklist.racist"', 'when = ["checklist.racism"'),
                    encoding="utf-8")
    lines = _check_failed(run("policy", "check", path), path, 2, loads=False)
    expected = [
        f"{path}: steps.contact_police.when: error: unknown item 'racism' in 'checklist.racism'; "
        "did you mean 'checklist.racist'?",
        f"{path}: steps.legal_action.after: error: unknown step 'legal_advise'",
    ]
    assert expected == lines


def test_policy_check_reports_loader_and_quote_problems_in_one_run(run, tmp_path):
    """An unknown key and a quote that differs by a word are both found in one run, each with its place."""
    path = _copy(tmp_path, 'policy_text = "Posting racist comments"',
                 'policy_text = "Posting racist remarks"\nwehn = ["x.y"]')
    lines = _check_failed(run("policy", "check", path), path, 2, loads=False)
    assert [f"{path}: checklist.racist.policy_text: error", f"{path}: checklist.racist.wehn: error"] == [
        line.split(": not found")[0].split(": unknown key")[0] for line in lines]


def test_policy_check_finds_a_step_that_can_never_be_permitted(run, tmp_path):
    """A step after itself loads, but the check explains in words why it can never be permitted (exit 3)."""
    path = _copy(tmp_path, 'after = ["legal_advice"]', 'after = ["legal_action"]')
    lines = _check_failed(run("policy", "check", path), path, 1)
    expected = [f"{path}: steps.legal_action.after: error: legal_action can never be permitted: its after names "
                "legal_action itself, so it would have to be recorded before it could be; remove 'legal_action' "
                "from after"]
    assert expected == lines


def test_policy_check_passes_with_a_warning_for_a_quote_differing_only_in_typography(run, tmp_path):
    """A straight apostrophe where the source has a curly one is shown as a warning, and the check passes."""
    path = _copy(tmp_path)
    source = path.parent / "policy.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("school's concerns", "school\u2019s concerns"),
                      encoding="utf-8")
    result = run("policy", "check", path)
    assert (0, "") == (result.exit_code, result.stderr), result.output
    lines = result.stdout.splitlines()
    assert 2 == len(lines)
    assert lines[0].startswith(f"{path}: steps.written_warning.policy_text: warning: found in the source (line ")
    assert "the source has \u2019 (U+2019) where the quote has ' (U+0027)" in lines[0]
    assert lines[1].startswith(f"{path}: OK with 1 warning: 4 considerations, ")


def test_policy_check_json_lists_the_same_problems(run, tmp_path):
    """--json: the contract, whether it passed, and each problem's place, severity and message; exit 3 on errors."""
    path = _copy(tmp_path, 'after = ["legal_advice"]', 'after = ["legal_action"]')
    human = run("policy", "check", path).stdout.splitlines()
    result = run("policy", "check", path, "--json")
    assert 3 == result.exit_code
    doc = json.loads(result.stdout)
    assert ((1, False, 1, 0, "policy.txt", True, True), human) == (
        (doc["contract"], doc["ok"], doc["errors"], doc["warnings"], doc["source"], doc["logic_checked"],
         doc["quotes_checked"]),
        [f"{path}: {p['place']}: {p['severity']}: {p['message']}" for p in doc["problems"]])


def test_policy_check_json_of_the_shipped_policy_is_ok(run):
    """--json of a clean policy: ok, no problems, exit 0."""
    result = run("policy", "check", ROOT / "policy.toml", "--json")
    assert (0, "") == (result.exit_code, result.stderr)
    assert (True, []) == (json.loads(result.stdout)["ok"], json.loads(result.stdout)["problems"])


def test_policy_check_refuses_a_copy_without_its_source_text(run, tmp_path):
    """A copy naming policy.txt as its source, without policy.txt beside it, fails the check at policy.source."""
    path = _copy(tmp_path, with_source=False)
    lines = _check_failed(run("policy", "check", path), path, 1)
    assert [f"{path}: policy.source: error: cannot read {path.parent / 'policy.txt'}: No such file or directory; "
            "put the published policy text there or remove `source`"] == lines


def test_init_shows_a_policys_warnings_and_goes_on(run, tmp_path):
    """A workspace made with a policy whose quote differs only in typography: a Warning line, and it is made."""
    path = _copy(tmp_path)
    source = path.parent / "policy.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("school's concerns", "school\u2019s concerns"),
                      encoding="utf-8")
    result = run("init", tmp_path / "ws", "--policy", path)
    assert (0, True) == (result.exit_code, (tmp_path / "ws" / "hesket.toml").exists()), result.output
    assert result.stderr.startswith(f"Warning: {path}: steps.written_warning.policy_text: warning: found in the "
                                    "source (line ")


def test_init_refuses_a_policy_with_a_step_that_can_never_be_permitted(run, tmp_path):
    """A policy that loads but cannot work is refused by init as by policy check, and no workspace is made."""
    path = _copy(tmp_path, 'after = ["legal_advice"]', 'after = ["legal_action"]')
    result = run("init", tmp_path / "ws", "--policy", path)
    assert (3, False) == (result.exit_code, (tmp_path / "ws").exists())
    assert result.stderr.startswith(f"Error: {path}: steps.legal_action.after: error: legal_action can never be "
                                    "permitted")


def test_policy_check_refuses_a_missing_file(run, tmp_path):
    """Checking a file that is not there fails with one Error line naming it and where it was given."""
    path = tmp_path / "nowhere.toml"
    line = _assert_one_error_line(run("policy", "check", path))
    assert f"Error: {path}: policy file not found; check the path given to `hesket policy check`" == line


def test_policy_check_refuses_invalid_toml(run, tmp_path):
    """A file that is not TOML fails the check with one Error line naming the line."""
    path = tmp_path / "policy.toml"
    path.write_text('format = 1\n[policy\nschool = "x"\n', encoding="utf-8")
    line = _assert_one_error_line(run("policy", "check", path))
    assert line.startswith(f"Error: {path}: not valid TOML: ")
    assert "line 2" in line


# -- every command with a broken policy ------------------------------------------


BROKEN_COMMANDS = [
    pytest.param(["triage", "--answers", str(EXAMPLES / "kind-post.toml"), "--by", "Ms T Example"], id="triage"),
    pytest.param(["triage", "--answers", str(EXAMPLES / "kind-post.toml"), "--json", "--by", "Ms T Example"],
                 id="triage-json"),
    pytest.param(["case", "list"], id="case-list"),
    pytest.param(["case", "list", "--json"], id="case-list-json"),
    pytest.param(["case", "show", "{case_id}"], id="case-show"),
    pytest.param(["policy", "show"], id="policy-show"),
    pytest.param(["policy", "show", "--json"], id="policy-show-json"),
]


def _existing_case(run) -> str:
    """Triage one post with the shipped policy; its case id."""
    result = run("triage", "--answers", EXAMPLES / "kind-post.toml", "--json", "--by", "Ms T Example")
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)["id"]


@pytest.mark.parametrize("command", BROKEN_COMMANDS)
def test_every_command_refuses_a_broken_policy_option(run, tmp_path, cases_dir, command):
    """With --policy naming a broken file, each command exits 3 with its Error line and writes no case."""
    case_id = _existing_case(run)
    before = snapshot(cases_dir)
    path = _broken(tmp_path)
    args = [a.replace("{case_id}", case_id) for a in command]
    line = _assert_one_error_line(run("--policy", path, *args))
    assert "steps.contact_police.when" in line
    assert before == snapshot(cases_dir)


@pytest.mark.parametrize("command", BROKEN_COMMANDS)
def test_every_command_refuses_a_broken_policy_from_the_environment(run, tmp_path, cases_dir, command):
    """With HESKET_POLICY naming a broken file, each command exits 3 with its Error line and writes no case."""
    case_id = _existing_case(run)
    before = snapshot(cases_dir)
    path = _broken(tmp_path)
    args = [a.replace("{case_id}", case_id) for a in command]
    line = _assert_one_error_line(run(*args, env={"HESKET_POLICY": str(path)}))
    assert "steps.contact_police.when" in line
    assert before == snapshot(cases_dir)


@pytest.mark.parametrize("command", BROKEN_COMMANDS)
def test_every_command_refuses_a_missing_policy_file(run, tmp_path, cases_dir, command):
    """With --policy naming a file that is not there, each command exits 3 and writes no case."""
    case_id = _existing_case(run)
    before = snapshot(cases_dir)
    path = tmp_path / "nowhere.toml"
    args = [a.replace("{case_id}", case_id) for a in command]
    line = _assert_one_error_line(run("--policy", path, *args))
    assert f"Error: {path}: policy file not found; check the path given with --policy or HESKET_POLICY" == line
    assert before == snapshot(cases_dir)


def test_triage_with_a_broken_policy_creates_no_cases_folder(run, tmp_path, cases_dir):
    """A first triage refused for a broken policy leaves no cases folder behind."""
    result = run("--policy", _broken(tmp_path), "triage", "--answers", EXAMPLES / "kind-post.toml", "--by", "Ms T Example")
    _assert_one_error_line(result)
    assert (False, {}) == (cases_dir.exists(), snapshot(cases_dir))


def test_policy_with_several_problems_lists_them_all_under_one_error_line(run, tmp_path):
    """A policy with several problems: one Error line, then every problem indented under it, no traceback."""
    path = _copy(tmp_path, 'after = ["legal_advice"]', 'after = ["legal_advise"]\nwehn = ["x.y"]')
    result = run("--policy", path, "case", "list")
    assert (3, "") == (result.exit_code, result.stdout)
    lines = result.stderr.splitlines()
    assert (3, True, [True, True]) == (len(lines), lines[0].startswith("Error: "),
                                       [line.startswith(f"  {path}: ") for line in lines[1:]])
    assert "Traceback" not in result.stderr
