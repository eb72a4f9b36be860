"""Long work (planning, importing) in a background thread, with a status the pages poll.

A job runs in a daemon thread so the other pages keep answering; the page that
started it polls ``/api/jobs/<id>`` once a second and shows the status line
until the job is ``done`` (then it follows the job's ``next`` address) or
``failed`` (then it shows the error's one line). Jobs of one kind run one at a
time (a second "planera om" waits for the first: the planner and the store's
lock are not meant to run twice at once).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Job", "Jobs"]


@dataclass
class Job:
    """One piece of background work.

    Attributes
    ----------
    id : str
        Random hex id (part of the status address).
    kind : str
        ``plan``, ``import``, ``measurements`` ...
    user : str
        Who started it.
    role : str
        Their role (a job of a ``police`` page is polled by police only).
    status : str
        ``running``, ``done`` or ``failed``.
    message : str
        The latest status line for people.
    next : str
        Address to show when done.
    error : str
        The one-line error when failed.
    result : object
        What the work returned.
    started : float [s]
        ``time.monotonic()`` at the start.
    """

    id: str
    kind: str
    user: str
    role: str
    status: str = "running"
    message: str = ""
    next: str = ""
    error: str = ""
    result: Any = None
    started: float = field(default_factory=time.monotonic)

    def as_json(self) -> dict[str, Any]:
        """Return what the status poll sends back."""
        return {"id": self.id, "kind": self.kind, "status": self.status,
                "message": self.message, "next": self.next, "error": self.error,
                "seconds": round(time.monotonic() - self.started, 1)}


class Jobs:
    """The running and finished jobs of one server (kept in memory)."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._kind_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        """Return the job ``job_id`` (None when unknown)."""
        with self._lock:
            return self._jobs.get(job_id)

    def running(self, kind: str) -> bool:
        """Return True while a job of ``kind`` runs."""
        with self._lock:
            return any(j.kind == kind and j.status == "running" for j in self._jobs.values())

    def start(self, kind: str, user: str, role: str, work: Callable[[Job], Any],
              *, next_url: Callable[[Job], str], describe_error: Callable[[Exception], str],
              ) -> Job:
        """Run ``work(job)`` in a background thread and return the job at once.

        Parameters
        ----------
        kind, user, role : str
            As :class:`Job`.
        work : callable
            Does the work; may set ``job.message`` as it goes; its return value
            becomes ``job.result``.
        next_url : callable
            ``next_url(job)``: the page to show when done.
        describe_error : callable
            One line for people from an exception (``failed``).
        """
        job = Job(uuid.uuid4().hex, kind, user, role)
        with self._lock:
            self._jobs[job.id] = job
            kind_lock = self._kind_locks.setdefault(kind, threading.Lock())

        def run() -> None:
            with kind_lock:
                try:
                    job.result = work(job)
                    job.next = next_url(job)
                    job.status = "done"
                except Exception as exc:  # shown to the user as one line
                    job.error = describe_error(exc)
                    job.status = "failed"

        threading.Thread(target=run, name=f"trafikplan-{kind}", daemon=True).start()
        return job
