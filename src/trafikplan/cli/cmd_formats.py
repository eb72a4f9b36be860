"""``trafikplan formats [list | check FILE | draft FILE]``: profiles, and a new one."""

from __future__ import annotations

from pathlib import Path

import click

from trafikplan.cli._app import DEFAULT_DATA_DIR, SPOKEN, app, console, language_of

__all__ = ["check_command", "draft_command", "formats_app", "list_command"]

_DATA_DIR = click.option(
    "-d", "--data-dir", type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DATA_DIR, show_default=True,
    help="Data folder whose formats/ holds your own profiles.")


def _language(data_dir: Path) -> str:
    """Return the data folder's language and word the command's errors in it (``sv`` by default)."""
    SPOKEN["language"] = language_of(data_dir)
    return SPOKEN["language"]


def _settings(data_dir: Path):
    from trafikplan.settings import Settings, load_settings

    if (data_dir / "trafikplan.toml").is_file():
        return load_settings(data_dir)
    return Settings(municipality="")


def _profiles(data_dir: Path):
    from trafikplan.io.profiles.profile import load_profiles

    return load_profiles(data_dir if data_dir.is_dir() else None)


@app.group("formats", invoke_without_command=True)
@click.pass_context
def formats_app(ctx: click.Context) -> None:
    """Format profiles: list them, check which reads a file, draft one for a new layout."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_command)


@formats_app.command("list")
@_DATA_DIR
def list_command(data_dir: Path = DEFAULT_DATA_DIR) -> None:
    """List the shipped profiles and those in DATA_DIR/formats/, in detection order."""
    from rich.markup import escape
    from rich.table import Table

    from trafikplan.i18n import PROFILE_DESCRIPTIONS, code, text
    from trafikplan.io.profiles.profile import FORMATS_DIR

    lang = _language(data_dir)
    table = Table(title=text("fmt_list_title", lang))
    for col in ("profile", "kind", "from", "description"):
        table.add_column(text(f"fmt_col_{col}", lang), overflow="fold")
    for p in _profiles(data_dir):
        shipped = p.path.parent == FORMATS_DIR
        origin = text("fmt_shipped", lang) if shipped else escape(str(p.path))
        description = (PROFILE_DESCRIPTIONS.get(p.name, p.description)
                       if shipped and lang == "sv" else p.description)
        table.add_row(escape(p.name), code("table", p.kind, lang), origin, escape(description))
    console.print(table)


@formats_app.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@_DATA_DIR
@click.option("--rows", default=10, show_default=True, help="Rows shown as read.")
def check_command(file: Path, data_dir: Path, rows: int) -> None:
    """Show, per profile, why it does (not) read FILE, and the first rows as read."""
    from rich.markup import escape
    from rich.table import Table

    from trafikplan.i18n import code, text
    from trafikplan.io.profiles.check import COUNTER_KINDS, check_file, preview
    from trafikplan.report.export import print_table

    lang = _language(data_dir)
    profiles = _profiles(data_dir)
    verdicts = check_file(file, profiles)
    table = Table(title=text("fmt_check_title", lang, file=escape(file.name)))
    for col in ("profile", "kind", "fits", "why"):
        table.add_column(text(f"fmt_col_{col}", lang), overflow="fold")
    for v in verdicts:
        table.add_row(escape(v.profile), code("table", v.kind, lang), code("bool", v.fits, lang),
                      escape(v.why.text(lang)))
    console.print(table)
    chosen = next((v for v in verdicts if v.fits), None)
    if chosen is None:
        console.print(text("fmt_none_fits", lang, file=escape(str(file)),
                           folder=escape(str(data_dir))))
        return
    profile = next(p for p in profiles if p.name == chosen.profile)
    if profile.kind not in COUNTER_KINDS:
        return
    got, rejects, warnings = preview(file, profile, _settings(data_dir), rows=rows)
    print_table(got, console, language=lang,
                title=text("fmt_first_rows", lang, rows=rows, profile=profile.name))
    for r in rejects.itertuples():
        console.print(text("fmt_reject_line", lang, line=r.line, reason=code("reject", r.reason,
                           lang), column=r.column, value=r.value), markup=False)
    for w in warnings:
        console.print(text("warning", lang, text=w), markup=False)


@formats_app.command("draft")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@_DATA_DIR
@click.option("--name", default=None, help="Profile name (default: from the file name).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the profile here instead of DATA_DIR/formats/NAME.toml.")
@click.option("--force", is_flag=True, help="Replace a profile file that exists.")
def draft_command(file: Path, data_dir: Path, name: str | None, output: Path | None,
                  force: bool) -> None:
    """Write a starting profile for FILE's layout (review its CHECK comments)."""
    import tomllib

    from trafikplan._errors import InputError
    from trafikplan.i18n import text
    from trafikplan.io.profiles.check import preview
    from trafikplan.io.profiles.draft import draft_profile
    from trafikplan.io.profiles.profile import load_profile
    from trafikplan.report.export import print_table

    lang = _language(data_dir)
    drafted = draft_profile(file, name)
    profile_name = tomllib.loads(drafted)["name"]
    target = output or data_dir / "formats" / f"{profile_name}.toml"
    if target.exists() and not force:
        raise InputError("err_exists_already", path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(drafted, encoding="utf-8")
    console.print(drafted, markup=False, highlight=False)
    console.print(f"-> {target}", markup=False)
    got, _, warnings = preview(file, load_profile(target), _settings(data_dir), rows=5)
    print_table(got, console, title=text("fmt_draft_rows", lang), language=lang)
    for w in warnings:
        console.print(text("warning", lang, text=w), markup=False)
    console.print(text("fmt_draft_review", lang, file=file, folder=data_dir), markup=False)
