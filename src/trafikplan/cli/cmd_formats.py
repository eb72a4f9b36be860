"""``trafikplan formats [list | check FILE | draft FILE]``: profiles, and a new one."""

from __future__ import annotations

from pathlib import Path

import click

from trafikplan.cli._app import DEFAULT_DATA_DIR, app, console

__all__ = ["check_command", "draft_command", "formats_app", "list_command"]

_DATA_DIR = click.option(
    "-d", "--data-dir", type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DATA_DIR, show_default=True,
    help="Data folder whose formats/ holds your own profiles.")


def _settings(data_dir: Path):
    from trafikplan.settings import Settings, load_settings

    if (data_dir / "trafikplan.toml").is_file():
        return load_settings(data_dir)
    return Settings(municipality="")


def _profiles(data_dir: Path):
    from trafikplan.io.profiles import load_profiles

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

    from trafikplan.io.profiles import FORMATS_DIR

    table = Table(title="Format profiles (tried in this order)")
    for col in ("profile", "kind", "from", "description"):
        table.add_column(col, overflow="fold")
    for p in _profiles(data_dir):
        origin = "shipped" if p.path.parent == FORMATS_DIR else escape(str(p.path))
        table.add_row(escape(p.name), p.kind, origin, escape(p.description))
    console.print(table)


@formats_app.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@_DATA_DIR
@click.option("--rows", default=10, show_default=True, help="Rows shown as read.")
def check_command(file: Path, data_dir: Path, rows: int) -> None:
    """Show, per profile, why it does (not) read FILE, and the first rows as read."""
    from rich.markup import escape
    from rich.table import Table

    from trafikplan.io.profile_check import COUNTER_KINDS, check_file, preview
    from trafikplan.report.export import print_table

    profiles = _profiles(data_dir)
    verdicts = check_file(file, profiles)
    table = Table(title=f"Profiles tried on {escape(file.name)}")
    for col in ("profile", "kind", "fits", "why"):
        table.add_column(col, overflow="fold")
    for v in verdicts:
        table.add_row(escape(v.profile), v.kind, "yes" if v.fits else "no", escape(v.reason))
    console.print(table)
    chosen = next((v for v in verdicts if v.fits), None)
    if chosen is None:
        console.print("No profile reads this file. Start one with: trafikplan formats draft "
                      f"{escape(str(file))} -d {escape(str(data_dir))}")
        return
    profile = next(p for p in profiles if p.name == chosen.profile)
    if profile.kind not in COUNTER_KINDS:
        return
    got, rejects, warnings = preview(file, profile, _settings(data_dir), rows=rows)
    print_table(got, console, title=f"First {rows} rows read with {profile.name} "
                                    "(times UTC, speeds km/h)")
    for r in rejects.itertuples():
        console.print(f"line {r.line}: set aside ({r.reason}) column {r.column}: "
                      f"{escape(str(r.value))}", markup=False)
    for w in warnings:
        console.print(f"warning: {w}", markup=False)


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
    from trafikplan.io.profile_check import preview
    from trafikplan.io.profile_draft import draft_profile
    from trafikplan.io.profiles import load_profile
    from trafikplan.report.export import print_table

    text = draft_profile(file, name)
    profile_name = tomllib.loads(text)["name"]
    target = output or data_dir / "formats" / f"{profile_name}.toml"
    if target.exists() and not force:
        raise InputError("err_exists_already", path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    console.print(text, markup=False, highlight=False)
    console.print(f"-> {target}", markup=False)
    got, _, warnings = preview(file, load_profile(target), _settings(data_dir), rows=5)
    print_table(got, console, title="First rows read with the draft (times UTC, speeds km/h)")
    for w in warnings:
        console.print(f"warning: {w}", markup=False)
    console.print("Review the lines marked CHECK, then: trafikplan formats check "
                  f"{file} -d {data_dir}", markup=False)
