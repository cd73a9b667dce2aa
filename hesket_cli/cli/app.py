"""cli/app.py: the `hesket` group: global options, the one error edge, and lazy loading of commands.

This is the one place where a command's errors are caught (edge.py says
what each looks like): a HesketError becomes one `Error:` line on stderr
and its documented exit code; a usage error one `Error:` line and one line
naming the `--help` to read; anything unexpected one line and exit 1
(`--debug` shows the traceback, never with local variables, which may hold
pupils' or parents' details). Output piped into a reader that stops early
(`| head`) ends quietly. The reading commands quick.py answers before Typer
is loaded pass through the same edge.

Each command group lives in its own module, imported only when that
command runs (Click's `list_commands`/`get_command`), so starting hesket
costs the same however many commands it has.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import types
from collections.abc import Sequence
from typing import Any

import typer
from typer import _click as click  # Typer 0.28 carries its own Click
from typer._click.exceptions import NoArgsIsHelpError, NoSuchOption, UsageError
from typer._click.shell_completion import CompletionItem
from typer.core import TyperArgument, TyperGroup

from .. import __version__
from ..errors import ExitCode
from . import quick
from .edge import collector_paused, error, failed, quiet_broken_pipe, say, show_warnings
from .quick import COMPLETE_VAR
from .settings import ENV_POLICY, Settings

EXIT_CODES_HELP = """\b
Exit codes:
    0  success
    1  unexpected failure (run again with --debug to see why)
    2  wrong usage (unknown option, missing argument)
    3  invalid input or data (answers file, policy file, case file), or a
       write the system refused (disk full, no permission, read-only)
    4  no such case
    5  refused by the policy
    6  review --check: some open case needs attention
  130  stopped with Ctrl-C
  141  the reader of the output stopped early (hesket review | head)
"""

# Each command: (module under hesket_cli.cli, its one-line description for `hesket --help`).
COMMANDS: dict[str, tuple[str, str]] = {
    "triage": ("triage", "Assess a post against the policy, save it as a case, and show the next step."),
    "init": ("workspace", "Make a school's workspace: its settings, its policy and its cases, in one folder."),
    "status": ("workspace", "Which workspace and policy are in use, how many cases, and who may use them."),
    "case": ("case", "Find, show and list cases; record steps, outcomes and decisions; add notes and evidence; "
                     "verify and export."),
    "letter": ("letter", "Draft a letter from a case (a warning, an invitation, a legal brief) to edit and sign."),
    "report": ("report", "The pack for reporting a case's post to the site: the route, what it asks, a summary."),
    "review": ("review", "Every case's next step, urgent and overdue first; a governors' summary."),
    "purge": ("purge", "Delete the cases past the school's retention period, after confirmation, and log it."),
    "subject-access": ("subject_access", "Gather every case about one person for a subject access request; "
                                         "its deadline."),
    "bundle": ("bundle", "Check a sealed case bundle (from case export) against its manifest; no workspace needed."),
    "policy": ("policy", "See, check, import or locate the policy file hesket uses."),
    "config": ("config", "Your own settings, such as the name recorded on cases."),
    "help": ("meta", "Show the help of hesket or of one of its commands."),
    "completion": ("meta", "Print the script that lets your shell complete hesket's commands, case ids and events."),
    "version": ("meta", "Show hesket's version."),
}
# Options of the `hesket` group, as they are written before a command (with their value's name).
GLOBAL_FLAGS = {"--debug": "--debug", "--no-color": "--no-color", "--no-pager": "--no-pager",
                "--workspace": "--workspace DIR", "-w": "-w DIR", "--policy": "--policy FILE"}


def settings(ctx: click.Context) -> Settings:
    """The global options of this run (while the shell completes a command, as parsed so far)."""
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    return Settings(policy=root.params.get("policy"), workspace=root.params.get("workspace"))


class LazyGroup(TyperGroup):
    """A group that builds a command only when it is run (Typer inspects each command's signature as it
    builds it: milliseconds at every start), and suggests the nearest command for a typo."""

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        names = self.list_commands(ctx)
        if args and args[0] not in names and not args[0].startswith("-") and not ctx.resilient_parsing:
            import difflib

            close = difflib.get_close_matches(args[0], names, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            ctx.fail(f"No such command '{args[0]}'.{hint}")
        return super().resolve_command(ctx, args)

    def descriptions(self) -> dict[str, str]:
        """Each command's one-line description, found without building the command."""
        raise NotImplementedError

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(list(self.descriptions().items()))

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """The commands that start with what was typed, each with its description, and the options: found
        without building (importing) any command, so completing stays as quick as starting."""
        found = [CompletionItem(name, help=text) for name, text in self.descriptions().items()
                 if name.startswith(incomplete)]
        return found + click.Command.shell_complete(self, ctx, incomplete)


def plain_usage(command: click.Command) -> click.Command:
    """Show each argument in the usage line as the help names it (`ID`), not in Typer's braces (`{ID}`);
    one that may be left out in square brackets (`[ID]`)."""
    for param in command.params:
        if isinstance(param, TyperArgument):
            param.get_usage_pieces = types.MethodType(_usage_pieces, param)  # type: ignore[method-assign]
    return command


def _usage_pieces(param: TyperArgument, ctx: click.Context) -> list[str]:
    name = param.make_metavar(ctx)
    return [name if param.required or name.startswith("[") else f"[{name}]"]


def first_paragraph(info: typer.models.CommandInfo) -> str:
    """A command's one-line description: the first paragraph of its help, whole (Click cuts it at 45 characters)."""
    text = info.help or (inspect.getdoc(info.callback) if info.callback else "") or ""
    return " ".join(text.split("\n\n", 1)[0].split())


class CommandGroup(LazyGroup):
    """A command group (`case`, `policy`, `config`) made from a Typer app, each command built on demand."""

    def __init__(self, app: typer.Typer, name: str) -> None:
        super().__init__(name=name, help=app.info.help, epilog=app.info.epilog, no_args_is_help=True,
                         rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})
        self.infos = {info.name or "": info for info in app.registered_commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.infos)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        info = self.infos.get(cmd_name)
        if info is None:
            return None
        return plain_usage(typer.main.get_command_from_info(info, pretty_exceptions_short=True,
                                                            rich_markup_mode=None))

    def descriptions(self) -> dict[str, str]:
        return {name: first_paragraph(info) for name, info in self.infos.items()}


class HesketGroup(LazyGroup):
    """The top-level group: finds commands lazily, and turns every failure into one line and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"hesket_cli.cli.{COMMANDS[cmd_name][0]}")
        command = module.command(cmd_name)
        assert isinstance(command, click.Command)
        return plain_usage(command)

    def descriptions(self) -> dict[str, str]:
        return {name: text for name, (_, text) in COMMANDS.items()}

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, click.ClickException, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise typer.Exit(quiet_broken_pipe()) from None
        except Exception as exc:
            if settings(ctx).debug:
                raise
            raise typer.Exit(failed(exc)) from None

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """Run hesket; usage errors are one `Error:` line and a pointer to the right `--help`.

        The reading commands quick.py recognises are answered by it, as they are
        when they come before Typer is loaded (cli/__init__.py), so the tests
        that run hesket through this group test that path too.
        """
        quick_code = quick.answer(sys.argv[1:] if args is None else args)
        if quick_code is not None:
            if standalone_mode:
                sys.exit(quick_code)
            return quick_code
        show_warnings()
        if os.environ.get(COMPLETE_VAR):
            from typer._completion_classes import completion_init

            completion_init()  # the shells' completion classes, loaded only when a shell asks
        try:
            with collector_paused():
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:
            assert exc.ctx is not None
            click.echo(exc.ctx.get_help())
            code = 0
        except UsageError as exc:
            code = usage_error(exc)
        except typer.Abort:
            code = 130
        except BrokenPipeError:
            code = quiet_broken_pipe()
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def usage_error(exc: UsageError) -> int:
    """Print a usage error as one `Error:` line and one hint line; return exit code 2. A long value it quotes
    (a pasted page as a command's name) is cut, as a case id is."""
    import re

    from ..describe import cut

    message = re.sub(r"(?<!\w)'([^']{41,})'(?!\w)", lambda found: f"'{cut(found.group(1))}'", exc.format_message())
    if isinstance(exc, NoSuchOption) and exc.option_name in GLOBAL_FLAGS:
        command = exc.ctx.command_path.split(" ", 1)[1] if exc.ctx and " " in exc.ctx.command_path else "COMMAND"
        message = (f"{exc.option_name} goes before the command: "
                   f"hesket {GLOBAL_FLAGS[exc.option_name]} {command} ...")
    error(message[:-1] if message.endswith(".") and not message.endswith("...") else message)
    if exc.ctx is not None:
        say(f"See: {exc.ctx.command_path} --help{_dash_hint(exc)}")
    return int(ExitCode.USAGE)


# The arguments that take free text, which may start with a dash (a note: "-phoned parent").
TEXT_ARGUMENTS = ("TEXT", "VALUE")


def _dash_hint(exc: UsageError) -> str:
    """For an unknown option given to a command that takes free text: how to give text that starts with a
    dash (after `--`, which ends the options), as the rest of the hint line."""
    if not isinstance(exc, NoSuchOption) or exc.ctx is None or exc.option_name in GLOBAL_FLAGS:
        return ""
    names = [p.make_metavar(exc.ctx) for p in exc.ctx.command.params if isinstance(p, TyperArgument)]
    text = next((n for n in names if n in TEXT_ARGUMENTS), None)
    if text is None:
        return ""
    before = names[:names.index(text)]
    return (f"; to give {text} that starts with a dash, put -- before it: "
            f"{' '.join([exc.ctx.command_path, *before, '--', text])}")


def _version(value: bool) -> None:
    if value:
        click.echo(f"hesket {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    cls=HesketGroup,
    name="hesket",
    help=(
        "hesket: the school's policy on parental use of social networking sites, as a tool.\n\n"
        "Triage a post against the policy, keep each case's history, and see the next step "
        "the policy permits, in the policy's own words. Case files stay on this computer."
    ),
    epilog=(
        "\b\nExamples:\n"
        "  hesket triage --answers examples/complaint-wrong-channel.toml\n"
        "  hesket case list\n"
        "  hesket case show 2026-0001\n"
        "  hesket review --check\n"
        "  hesket help case record\n\n" + EXIT_CODES_HELP
    ),
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main_options(
    ctx: typer.Context,
    workspace: str | None = typer.Option(
        None, "--workspace", "-w", metavar="DIR",
        help="The school's workspace (made by hesket init); also set by HESKET_WORKSPACE. "
             "Default: your data folder.",
    ),
    policy: str | None = typer.Option(
        None, "--policy", envvar=ENV_POLICY, metavar="FILE",
        help="Try another policy file: commands that only read show cases under it; nothing is written under "
             "another school's policy.",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an unexpected failure."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour in the output (also: NO_COLOR)."),
    no_pager: bool = typer.Option(False, "--no-pager", help="Do not send long output through a pager (PAGER)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show hesket's version and exit."),
) -> None:
    """Options that apply to every command."""
    ctx.obj = Settings(policy=policy, debug=debug, no_color=no_color, no_pager=no_pager, workspace=workspace)


def main() -> None:
    """The console script's entry point."""
    app(prog_name="hesket")
