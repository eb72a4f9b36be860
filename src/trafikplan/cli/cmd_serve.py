"""``trafikplan serve [DATA_DIR] [--host H] [--port P]``: the local web app.

Bound to localhost (the default) one person uses it without a login. Bound to
another address it asks for a login; add users first with
``trafikplan serve DATA_DIR --add-user NAME --role police|kommun`` (asks for the
password twice; only its Argon2 hash is stored, in ``DATA_DIR/users.toml``).
Needs the optional libraries ``pip install -e '.[serve]'``.
"""

from __future__ import annotations

from pathlib import Path

import click

from trafikplan.cli._app import app, console, data_dir_argument, language_of

__all__ = ["serve_command"]


@app.command("serve")
@data_dir_argument
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but localhost requires a login.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True,
              help="Issued plans go to OUT/checks-<week>/ (as plan checks -o).")
@click.option("--time-limit", type=click.FloatRange(min=0.5), default=None,
              help="Planner time limit per solve [s] (default: [checks] time_limit_s).")
@click.option("--add-user", "add_user", default=None, metavar="NAME",
              help="Add a user (asks for the password) and stop.")
@click.option("--role", type=click.Choice(["police", "kommun"]), default=None,
              help="Role of --add-user: police sees check plans, kommun does not.")
def serve_command(data_dir: Path, host: str, port: int, out_dir: Path,
                  time_limit: float | None, add_user: str | None, role: str | None) -> None:
    """Start the web app: the planner's week on a map, the engineer's sites and imports."""
    from trafikplan._errors import InputError
    from trafikplan.i18n import text
    from trafikplan.serve import missing_libraries

    lang = language_of(data_dir)
    missing = missing_libraries()
    if missing:
        raise InputError(text("serve_missing_libraries", lang, names=", ".join(missing)))
    if add_user is not None:
        from trafikplan.serve.users import add_user as add

        if role is None:
            raise InputError(text("serve_role_needed", lang), column="--role")
        password = click.prompt(text("serve_password", lang), hide_input=True,
                                confirmation_prompt=True, err=True)
        path = add(data_dir, add_user, role, password)
        console.print(text("serve_user_added", lang, name=add_user, role=role, file=path),
                      markup=False)
        return
    import uvicorn

    from trafikplan.serve.app import create_app
    from trafikplan.serve.views import warm_up

    web = create_app(data_dir, host=host, out_dir=out_dir, time_limit_s=time_limit)
    warm_up(web.state.serve)  # the first page view need not wait for the folder to load
    shown = f"[{host}]" if ":" in host else host
    console.print(text("serve_listening", lang, url=f"http://{shown}:{port}/",
                       folder=data_dir), markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False,
                server_header=False)
