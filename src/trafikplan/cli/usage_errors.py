"""A usage error (missing argument, unknown option or command, bad value) worded for a person.

click's own messages are English; the command line words the usage errors
people meet in the folder's language from the dictionary (``usage_*`` keys of
:mod:`trafikplan.i18n.cli_text`). Anything else keeps click's message.
"""

from __future__ import annotations

import click

from trafikplan.cli._app import UnknownCommand
from trafikplan.i18n import text

__all__ = ["usage_error_text"]


def _param_name(exc: click.BadParameter) -> str:
    if exc.param_hint is not None:
        hints = [exc.param_hint] if isinstance(exc.param_hint, str) else list(exc.param_hint)
        return " / ".join(hints)
    if exc.param is not None:
        return exc.param.get_error_hint(exc.ctx)
    return "?"


def _expected(param_type: click.ParamType, language: str) -> str | None:
    if isinstance(param_type, click.Choice):
        return text("usage_one_of", language, names=", ".join(map(str, param_type.choices)))
    if isinstance(param_type, click.types.IntParamType):
        return text("usage_integer", language)
    if isinstance(param_type, click.types.FloatParamType):
        return text("usage_number", language)
    if isinstance(param_type, click.Path):
        return text("usage_path", language)
    return None


def usage_error_text(exc: click.ClickException, language: str) -> str:
    """Return ``exc`` as one line for a person in ``language`` (``"sv"`` or ``"en"``).

    Parameters
    ----------
    exc : click.ClickException
        What click raised while reading the command line.
    language : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str
        The message, ending with where to find help for a usage error.
    """
    said: str | None = None
    if isinstance(exc, click.MissingParameter):
        kind = "usage_missing_option" if exc.param_type == "option" or (
            exc.param is not None and exc.param.param_type_name == "option") \
            else "usage_missing_argument"
        said = text(kind, language, name=_param_name(exc))
    elif isinstance(exc, click.BadParameter):
        expected = None if exc.param is None else _expected(exc.param.type, language)
        if expected is not None:
            said = text("usage_bad_value", language, name=_param_name(exc), expected=expected)
    elif isinstance(exc, click.NoSuchOption):
        said = text("usage_no_such_option", language, name=exc.option_name)
        if exc.possibilities:
            said += "; " + text("usage_did_you_mean", language,
                                names=", ".join(exc.possibilities))
    elif isinstance(exc, UnknownCommand):
        group = exc.ctx.command if exc.ctx is not None else None
        names = sorted(group.commands) if isinstance(group, click.Group) else []
        said = text("usage_no_such_command", language, name=exc.name, names=", ".join(names))
    if said is None:
        return exc.format_message()
    if isinstance(exc, click.UsageError):
        said += " (" + text("usage_help", language) + ")"
    return said
