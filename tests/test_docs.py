"""The README stays true: its Quick start, its command reference, its examples, and CI's checks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

sys.path.insert(0, str(ROOT / "docs"))
import readme as generated

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = generated.commands()


def _section(title: str) -> str:
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def _quick_start_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", _section("Quick start"))


def _shell_examples() -> list[str]:
    """Every ```sh block of the README outside the Quick start (which installs hesket)."""
    rest = README.replace(_section("Quick start"), "")
    return re.findall(r"```sh\n(.+?)\n```", rest, re.S)


def test_quick_start_has_exactly_two_commands_one_triage_one_tests():
    """A new user finds two commands: one sets up and triages, one sets up and tests."""
    commands = _quick_start_commands()
    assert 2 == len(commands)
    assert "hesket triage --dry-run --answers examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_and_the_lint_type_and_docs_checks():
    """CI runs exactly the README's test command in a fresh environment, then cog, ruff and mypy."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci
    assert "rm -rf .venv" in ci
    assert [True, True, True] == [check in ci for check in ("cog --check README.md", "ruff check .",
                                                             "mypy --strict hesket_cli")]


def test_every_example_named_in_the_readme_exists():
    """Each examples/ file the README names is there."""
    named = set(re.findall(r"examples/([\w-]+\.toml)", README)) | set(re.findall(r"`([\w-]+\.toml)`", README))
    named -= {"policy.toml", "my-policy.toml", "case.toml", "pyproject.toml", "config.toml", "hesket.toml",
              "platforms.toml"}
    assert set() == {name for name in named if not (EXAMPLES / name).exists()}


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_registered_command_is_in_the_readme_with_examples(run, words):
    """Each command hesket registers is in the README's reference, and its --help ends with examples."""
    assert f"#### `hesket {' '.join(words)}`" in README
    result = run(*words, "--help")
    assert 0 == result.exit_code, result.output
    assert "Examples:" in result.stdout


def test_the_readme_generated_parts_are_up_to_date():
    """The command reference and the captured sessions are what the program prints now (cog --check)."""
    result = subprocess.run([sys.executable, "-m", "cogapp", "--check", "README.md"], cwd=ROOT,
                            capture_output=True, text=True)
    assert 0 == result.returncode, result.stdout + result.stderr


def test_every_exit_code_is_documented_in_help_and_readme(run):
    """The exit codes scripts depend on are listed in `hesket --help` and the README."""
    help_text = run("--help").stdout
    for code in range(7):
        assert re.search(rf"^\s+{code}\s+\S", help_text, re.M), code
        assert f"| {code} |" in README


@pytest.fixture
def school(tmp_path: Path, run) -> Path:
    """A folder as the README's examples expect: examples/, an edited policy copy, and two cases."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copy(ROOT / "policy.toml", tmp_path / "my-policy.toml")
    shutil.copy(ROOT / "policy.txt", tmp_path / "policy.txt")
    (tmp_path / "our-policy").mkdir()
    for name in ("policy.toml", "policy.txt"):
        shutil.copy(ROOT / name, tmp_path / "our-policy" / name)
    for name in ("complaint-wrong-channel", "kind-post"):
        assert 0 == run("triage", "--answers", EXAMPLES / f"{name}.toml", "--by", "Mrs A Example").exit_code
    return tmp_path


@pytest.mark.parametrize("block", _shell_examples(), ids=lambda block: block.splitlines()[0][:40])
def test_every_shell_example_in_the_readme_runs(school, block):
    """Each README shell example that needs no terminal runs as written (exit 0; 6 from --check)."""
    lines = [line.split("  #")[0] for line in block.splitlines()
             if line.startswith(("hesket ", "export ", "mkdir "))]
    if "/srv/hesket" in block and not any(line.startswith("hesket init") for line in lines):  # made earlier
        lines.insert(0, "hesket init /srv/hesket > /dev/null")
    lines = [line.replace("/srv/hesket", "$PWD/srv-hesket") for line in lines]
    script = 'hesket() { "$PYTHON" -m hesket_cli "$@"; }\nset -e\n' + "\n".join(
        f"{line} || [ $? = 6 ]" if "--check" in line else line for line in lines)
    env = {**os.environ, "PYTHON": sys.executable, "PAGER": "cat"}
    result = subprocess.run(["bash", "-c", script], cwd=school, env=env, capture_output=True, text=True)
    assert 0 == result.returncode, result.stderr


def test_the_readme_scheduled_job_names_its_workspace_and_keeps_its_output_private():
    """The cron example sets HESKET_WORKSPACE, runs hesket by its full path, and writes no fixed file in /tmp."""
    job = _section("Reviewing every case").split("```sh\n")[2].split("```")[0]
    assert (True, True, False, True) == (job.startswith("HESKET_WORKSPACE=/"), " /home/office/.local/bin/hesket "
                                         in job, "/tmp/" in job, "mktemp" in job)


def test_the_readme_exit_codes_and_hesket_help_list_the_same_codes():
    """The README's exit-code table and `hesket --help` name the same codes, 130 (Ctrl-C) and 141 (`| head`) too."""
    from hesket_cli.cli.app import EXIT_CODES_HELP

    table = re.findall(r"^\| (\d+) \|", README.split("### Exit codes", 1)[1].split("\n\n", 2)[1], re.M)
    in_help = re.findall(r"^ +(\d+)  ", EXIT_CODES_HELP, re.M)
    assert (table, ["0", "1", "2", "3", "4", "5", "6", "130", "141"]) == (in_help, table)


def test_the_readme_names_every_answers_file_in_examples():
    """Every answers file in examples/ is named where the README says what the folder holds, with their count."""
    files = sorted(p.name for p in EXAMPLES.glob("*.toml"))
    words = {4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
    paragraph = README.split("The `examples/` folder holds", 1)[1].split("\n\n", 1)[0]
    named = sorted(set(re.findall(r"`([\w-]+\.toml)`", paragraph)))
    assert (files, True) == (named, paragraph.startswith(f" answers files for {words.get(len(files))} posts"))


def test_the_example_for_an_imported_policy_is_refused_under_the_built_in_one_as_the_readme_says(run):
    """examples/imported-policy-post.toml is refused (exit 3) under the built-in policy, as the README says."""
    result = run("triage", "--dry-run", "--answers", EXAMPLES / "imported-policy-post.toml")
    assert (3, True) == (result.exit_code, "under\nthe built-in policy it is refused (exit 3" in README)
