"""docs/readme.py: the parts of README.md that are generated from the program itself, with cog.

The command reference is each command's `--help` at a fixed width, and the
captured sessions are real runs of hesket, in a fresh temporary cases
folder, on a fixed date, so the README cannot drift from the program. The
interview is run in a real pseudo-terminal (pexpect), as a person meets it.
`cog -r README.md` regenerates them; `cog --check README.md` (run by CI and
by tests/test_docs.py) fails when they differ.

    python -m cogapp -r README.md
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shlex
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTH = 80
NOW = dt.datetime(2026, 11, 24, 17, 40, tzinfo=dt.UTC)

# The README's letter and platform report: one case, its post captured, discussed and refused.
CAPTURE = ('hesket case capture 2026-0001 --url https://www.facebook.com/groups/example/posts/1 '
           '--account "Pat Example" --posted-at 2026-11-18T21:04 --text "Funny how the school fund is always empty '
           'but the head has a new car. Ask yourselves where the money goes?"')
REFUSED = ("hesket triage --answers examples/defamatory-post.toml", CAPTURE,
           "hesket case record 2026-0001 discuss_and_request_removal --on 20/11/2026",
           "hesket case record 2026-0001 refused --on 21/11/2026")
LETTER = 'hesket letter 2026-0001 written_warning --to "Mr P Example"'
LETTER_SESSION = (REFUSED[0], CAPTURE, "hesket letter 2026-0001 written_warning", *REFUSED[2:],
                  f"{LETTER} --text", f"{LETTER} --keep")
LETTER_HIDDEN = (0, 3, 4)
REPORT_SESSION = (*REFUSED, "hesket case record 2026-0001 written_warning --on 21/11/2026", "hesket report 2026-0001",
                  "hesket case record 2026-0001 contact_provider --on 21/11/2026 --ref FB-123456")
REPORT_HIDDEN = (0, 1, 2, 3, 4)
# Children's names recorded at capture and later, then kept out of a letter.
REDACT_SESSION = ("hesket triage --answers examples/naming-children.toml",
                  'hesket case capture 2026-0001 --url https://chat.whatsapp.com/example --text "Keep your kids '
                  'away from Tommy Smith and Ellie Jones in 2B. Tommy started it, ask anyone." --redact "Tommy Smith"',
                  'hesket case redact 2026-0001 "Ellie Jones" Tommy',
                  "hesket letter 2026-0001 discussion_invitation --text")
REDACT_HIDDEN = (0,)
REDACT_CUT = {1: (2, 0), 2: (2, 0)}
REDACT_BETWEEN = {3: ("RE:", "    Keep your kids")}


def commands() -> list[list[str]]:
    """Every command hesket registers, as the words that name it (`["case", "record"]`), in help order."""
    import typer
    from typer import _click as click

    from hesket_cli.cli.app import app

    root = typer.main.get_command(app)
    found: list[list[str]] = []
    context = click.Context(root, info_name="hesket")
    for name in root.list_commands(context):  # type: ignore[attr-defined]
        command = root.get_command(context, name)  # type: ignore[attr-defined]
        if hasattr(command, "list_commands"):
            sub = click.Context(command, info_name=name, parent=context)
            found += [[name, each] for each in command.list_commands(sub)]
        else:
            found.append([name])
    return found


def help_text(words: list[str]) -> str:
    """The `--help` of one command, as a person sees it at 80 columns."""
    from typer.testing import CliRunner

    from hesket_cli.cli.app import app

    result = CliRunner().invoke(app, [*words, "--help"], terminal_width=WIDTH, env={"COLUMNS": str(WIDTH)})
    return result.stdout.replace("Usage: root", "Usage: hesket").rstrip() + "\n"


def reference() -> str:
    """The command reference: `hesket --help`, then each command's `--help`."""
    parts = ["#### `hesket`\n", "```text\n" + help_text([]) + "```\n"]
    for words in commands():
        parts += [f"\n#### `hesket {' '.join(words)}`\n", "```text\n" + help_text(words) + "```\n"]
    return "".join(parts)


@contextlib.contextmanager
def sandbox() -> Iterator[Path]:
    """A fresh cases folder, cache and settings (the name "Mrs A Example") in a temporary folder, which is
    also the working folder, on a fixed date, in UK time."""
    from hesket_cli.casework import common

    saved = dict(os.environ)
    folder = Path(tempfile.mkdtemp(prefix="hesket-readme-"))
    os.environ.update({"HESKET_CASES_DIR": str(folder / "cases"), "HESKET_CACHE_DIR": str(folder / "cache"),
                       "HESKET_CONFIG": str(folder / "config.toml"), "TZ": "Europe/London",
                       "COLUMNS": str(WIDTH), "NO_COLOR": "1"})
    os.environ.pop("HESKET_POLICY", None)
    (folder / "config.toml").write_text('name = "Mrs A Example"\n', encoding="utf-8")
    time.tzset()
    current = common.Moment.current
    common.Moment.current = classmethod(lambda cls: cls(NOW, NOW.date()))  # type: ignore[method-assign,assignment]
    here = os.getcwd()
    os.chdir(folder)  # files a session writes (a bundle, a draft) land in the sandbox, never in the repository
    try:
        yield folder
    finally:
        os.chdir(here)
        common.Moment.current = current  # type: ignore[method-assign]
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def run_lines(lines: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    """Run each `hesket ...` line in the current sandbox's folder: (its index, the line, what it printed).

    Paths under examples/ and tests/fixtures/ are the repository's; the
    sandbox's own folder is shown as an office computer's (/home/office).
    """
    from typer.testing import CliRunner

    from hesket_cli.cli.app import app

    here = os.getcwd()
    for index, line in enumerate(lines):
        words = shlex.split(line)
        assert words[0] == "hesket", line
        args = [str(ROOT / w) if w.startswith(("examples/", "tests/fixtures/")) else w for w in words[1:]]
        result = CliRunner().invoke(app, args, terminal_width=WIDTH)
        yield index, line, result.output.rstrip().replace(here, "/home/office")


def session(*lines: str, hide: tuple[int, ...] = (), cut: dict[int, tuple[int, int]] | None = None,
            between: dict[int, tuple[str, str]] | None = None) -> str:
    """Run each `hesket ...` line in one sandbox and show it as typed, with what it printed.

    Lines whose index is in `hide` run but are not shown (setting the scene);
    for an index in `cut`, (first, last): only the first and last lines of
    its output are shown, with "..." between; for an index in `between`,
    (start, end): only the lines from the first that starts with `start` to
    the next that starts with `end`, with "..." around them. Commands run in
    the sandbox's folder; paths under examples/ and tests/fixtures/ are the
    repository's.
    """
    shown = []
    with sandbox():
        for index, line, output in run_lines(lines):
            if index in hide:
                continue
            text = _between(_cut(output, (cut or {}).get(index)), (between or {}).get(index))
            shown.append(f"$ {line}\n{text}\n" if text else f"$ {line}\n")
    return "```text\n" + "\n".join(shown) + "```\n"


def _cut(text: str, keep: tuple[int, int] | None) -> str:
    """The first and last lines of a long output, with "..." for the lines left out."""
    lines = text.split("\n")
    if keep is None or len(lines) <= sum(keep) + 1:
        return text
    first, last = keep
    return "\n".join([*lines[:first], "...", *lines[len(lines) - last:]])


def _between(text: str, marks: tuple[str, str] | None) -> str:
    """The lines of `text` from the first starting with marks[0] to the next starting with marks[1], with
    "..." for what is left out on either side (all of it when a mark is not found)."""
    if marks is None:
        return text
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(marks[0])), None)
    end = next((i for i, line in enumerate(lines) if start is not None and i > start and line.startswith(marks[1])),
               None)
    if start is None or end is None:
        return text
    return "\n".join([*(["..."] if start else []), *lines[start:end + 1], *(["..."] if end + 1 < len(lines) else [])])


# Loaded by the interview's own Python (PYTHONPATH), so its "today" is the README's fixed date too.
_FIXED_DATE = f"""
import datetime as dt
from hesket_cli.casework import common
NOW = dt.datetime({NOW.year}, {NOW.month}, {NOW.day}, {NOW.hour}, {NOW.minute}, tzinfo=dt.UTC)
common.Moment.current = classmethod(lambda cls: cls(NOW, NOW.date()))
"""
_PROMPTS = r"(Answer(?: \[[^\]\n]*\]| \([^)\n]*\))?: |\[save\]: |\[y/N\]: )"


def interview(typed: list[str], *, keep: tuple[int, ...], options: tuple[str, ...] = ()) -> str:
    """A real `hesket triage` interview in a pseudo-terminal at 80 columns, each answer typed once its
    prompt is on the screen, in a fresh sandbox on the fixed date.

    Only the questions numbered in `keep`, the hints and help shown at them, the review screen and the
    first and last lines of the saved case are shown; what is left out is marked `...`.
    """
    import pexpect  # POSIX only, as the pseudo-terminal tests are

    ansi = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
    with sandbox() as folder:
        (folder / "sitecustomize.py").write_text(_FIXED_DATE, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), str(ROOT)])),
               "TERM": "dumb"}
        child = pexpect.spawn(sys.executable, ["-m", "hesket_cli", "triage", *options], env=env, encoding="utf-8",
                              dimensions=(50, WIDTH), timeout=30, cwd=str(ROOT))
        child.delaybeforesend = None
        seen: list[str] = []
        for text in typed:
            child.expect(_PROMPTS)
            seen.append(child.before + child.after)
            child.sendline(text)
        child.expect(pexpect.EOF)
        seen.append(child.before)
        child.close()
    screen = ansi.sub("", "".join(seen)).replace("\r\n", "\n").replace("\r", "")
    return "```text\n$ hesket triage" + "".join(f" {o}" for o in options) + "\n" + _abridged(screen, keep) + "```\n"


def _abridged(screen: str, keep: tuple[int, ...]) -> str:
    """The screen with each question not in `keep` replaced by `...`, and the saved case by its first and
    last lines."""
    shown: list[str] = []
    for block in re.split(r"\n+(?=\u256d\u2500 Question |Check your answers\n)", screen.strip("\n")):
        number = re.match(r"\u256d\u2500 Question (\d+) of", block)
        if number and int(number.group(1)) not in keep:
            if shown[-1:] != ["..."]:
                shown.append("...")
            continue
        shown.append("\n".join(line.rstrip() for line in block.strip("\n").splitlines()))
    text = "\n\n".join(shown)
    head, _, case = text.partition("\nCase ")
    if case:
        lines = case.strip("\n").splitlines()
        head += "\nCase " + lines[0] + "\n...\n" + lines[-1]
    return head + "\n"
