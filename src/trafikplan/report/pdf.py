"""PDF (and screenshots) of HTML pages, made by headless Chromium.

A real browser renders the page exactly as it prints: the A4 ``@page`` rules
and page breaks of the print styles hold. Chromium runs headless, without a
sandbox (it runs as a normal command, often as root in CI), without network
services, with a new empty profile every time, so nothing leaves the machine
and nothing is remembered.

When no Chromium is installed, :func:`html_to_pdf` returns ``None`` and the
caller prints a one-line note; it is not an error (the HTML is still there).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from trafikplan.io.files.atomic import write_bytes

__all__ = [
    "CHROMIUM_NAMES",
    "PRINT_CSS",
    "checks_pdf",
    "find_chromium",
    "html_to_pdf",
    "paginate_team_days",
    "run_chromium",
    "screenshot",
]

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Executables tried in order; ``TRAFIKPLAN_CHROMIUM`` overrides them."""

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """Return the path of a Chromium executable, or None when none is installed."""
    override = os.environ.get("TRAFIKPLAN_CHROMIUM")
    if override:
        return shutil.which(override) or (override if Path(override).is_file() else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(
    args: Sequence[str], *, chromium: str | None = None, timeout_s: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a fresh, private profile and ``args``.

    Parameters
    ----------
    args : sequence of str
        Extra arguments, e.g. ``["--print-to-pdf=out.pdf", "file:///..."]``.
    chromium : str, optional
        Executable (default :func:`find_chromium`).
    timeout_s : float [s]
        Kill it after this long.

    Returns
    -------
    CompletedProcess
        With ``stdout`` and ``stderr`` as text.

    Raises
    ------
    FileNotFoundError
        When no Chromium is installed.
    """
    exe = chromium or find_chromium()
    if exe is None:
        raise FileNotFoundError("no chromium found (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="trafikplan-chromium-") as profile:
        cmd = [exe, *_FLAGS, f"--user-data-dir={profile}", *args]
        env = dict(os.environ, HOME=profile)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s,
                              check=False, env=env, stdin=subprocess.DEVNULL)


def html_to_pdf(
    html: Path | str, pdf: Path | str, *, private: bool = True, chromium: str | None = None
) -> Path | None:
    """Print the HTML file ``html`` to ``pdf`` with the page's own print styles.

    Parameters
    ----------
    html : Path or str
        An HTML file on disk (its ``@page`` rules set paper size and margins).
    pdf : Path or str
        The PDF to write; replaced atomically.
    private : bool
        Create it readable by the owner only (0600; plans are sensitive).
    chromium : str, optional
        Executable (default :func:`find_chromium`).

    Returns
    -------
    Path or None
        ``pdf``, or None when no Chromium is installed.

    Raises
    ------
    RuntimeError
        Chromium ran but made no PDF (its last stderr line is in the message).
    """
    exe = chromium or find_chromium()
    if exe is None:
        return None
    html, pdf = Path(html).resolve(), Path(pdf)
    with tempfile.TemporaryDirectory(prefix="trafikplan-pdf-") as tmp:
        os.chmod(tmp, 0o700)
        target = Path(tmp) / "out.pdf"
        done = run_chromium(["--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                             f"--print-to-pdf={target}", html.as_uri()], chromium=exe)
        if not target.is_file() or target.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"chromium made no PDF of {html}: {last}")
        write_bytes(pdf, target.read_bytes(), private=private)
    return pdf


PRINT_CSS = """
@page { size: A4; margin: 15mm 12mm; }
section.team { break-before: page; }
section.team:first-of-type { break-before: auto; }
.team-day { break-before: page; }
section.team > .team-day:first-of-type { break-before: auto; }
h2, h3 { break-after: avoid; }
tr { break-inside: avoid; }
"""
"""Print rules of the check plan's PDF: A4, every team and day on a page of its own."""

_TEAM = re.compile(r'(<section class="team">\s*)<h2>(.*?)</h2>(.*?)(</section>)', re.S)


def paginate_team_days(html: str) -> str:
    """Return the check-plan page ``html`` laid out for print: one team and day per page.

    The plan page (``checks.html``) already wraps every day in a ``<section
    class="team-day">`` headed by the team's name, with page breaks in its
    styles: it only gets :data:`PRINT_CSS`. An older page that lists each team
    in a ``<section class="team">`` with its name in ``<h2>`` and one
    ``<h3>`` per day gets, for every day after a team's first, the team's
    name again before a page break. A page of another shape is only given
    the print styles.
    """
    style = f"<style>{PRINT_CSS}</style>"
    if 'class="team-day"' in html:
        return html.replace("</head>", style + "</head>", 1) if "</head>" in html else style + html

    def one_team(m: re.Match[str]) -> str:
        head, name, body, end = m.groups()
        days = body.split("<h3>")
        repeated = f'<h2 class="team-day">{name}</h2>'
        body = days[0] + "<h3>" + days[1] if len(days) > 1 else days[0]
        body += "".join(f"{repeated}<h3>{d}" for d in days[2:])
        return f"{head}<h2>{name}</h2>{body}{end}"

    out = _TEAM.sub(one_team, html)
    return out.replace("</head>", style + "</head>", 1) if "</head>" in out else style + out


def checks_pdf(
    checks_html: Path | str, pdf: Path | str, *, chromium: str | None = None
) -> Path | None:
    """Print the check plan page to a PDF (0600): A4, one team and day per page.

    The page is laid out by :func:`paginate_team_days` in a private temporary
    copy (0700 folder); ``checks_html`` itself is not changed.

    Returns
    -------
    Path or None
        ``pdf``, or None when no Chromium is installed.
    """
    exe = chromium or find_chromium()
    if exe is None:
        return None
    text = Path(checks_html).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="trafikplan-print-") as tmp:
        os.chmod(tmp, 0o700)
        page = Path(tmp) / "checks-print.html"
        fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(paginate_team_days(text))
        return html_to_pdf(page, pdf, private=True, chromium=exe)


def screenshot(
    html: Path | str, png: Path | str, *, width: int = 1280, height: int = 2000,
    chromium: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Take a PNG screenshot of the HTML file ``html`` (window ``width`` x ``height`` [px]).

    Console messages of the page are logged on the returned process's
    ``stderr`` (``--enable-logging=stderr``), so a caller can check for errors.
    """
    html, png = Path(html).resolve(), Path(png).resolve()
    return run_chromium(["--enable-logging=stderr", "--v=0", f"--window-size={width},{height}",
                         f"--screenshot={png}", html.as_uri()], chromium=chromium)
