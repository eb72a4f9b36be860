"""Command line: ``trafikplan import|stats|flags|plan|evaluate|halo|report|run|formats|serve``.

Exit codes: 0 done, 2 bad input or usage (one line on stderr; ``--debug``
shows the traceback), 1 a bug.
"""

from __future__ import annotations

import sys

import click

from trafikplan.cli import (  # noqa: F401  (modules register their commands)
    cmd_evaluate,
    cmd_flags,
    cmd_formats,
    cmd_halo,
    cmd_import,
    cmd_plan_checks,
    cmd_plan_measurements,
    cmd_report,
    cmd_run,
    cmd_serve,
    cmd_stats,
)
from trafikplan.cli._app import app, err_console

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (the console script)."""
    from trafikplan._errors import TrafikplanError, WordedError
    from trafikplan.cli._app import SPOKEN

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        app.main(args=args, prog_name="trafikplan", standalone_mode=False)
    except click.exceptions.Abort:
        err_console.print("trafikplan: aborted")
        return 130
    except click.ClickException as exc:
        if debug:
            raise
        from trafikplan.cli.usage_errors import usage_error_text

        said = usage_error_text(exc, SPOKEN["language"])
        err_console.print(f"trafikplan: {said}", markup=False, soft_wrap=True)
        return 2
    except TrafikplanError as exc:
        if debug:
            raise
        said = (exc.one_line(SPOKEN["language"])
                if isinstance(exc, WordedError) else str(exc))
        err_console.print(f"trafikplan: {said}", markup=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if debug:
            raise
        err_console.print(
            f"trafikplan: internal error ({type(exc).__name__}: {exc}); "
            "run again with --debug and report the traceback",
            markup=False,
            soft_wrap=True,
        )
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
