"""Who may use ``trafikplan serve``: the users file, password hashes and roles.

Bound to localhost the server has one user (the person at the machine, role
``police``, no login). Bound to any other address it asks for a login, and the
users live in ``DATA_DIR/users.toml`` (0600, written by
``trafikplan serve DATA_DIR --add-user NAME --role police|kommun``)::

    # trafikplan serve: users of this data folder (only password hashes)
    [users."anna"]
    role = "police"                 # sees and changes the speed-check plans
    password_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."

    [users."kalle"]
    role = "kommun"                 # statistics, reports, measurement plans; no check plan
    password_hash = "$argon2id$v=19$..."

Passwords are hashed with Argon2id (``argon2-cffi``, its default parameters);
the file never holds a password.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from trafikplan._errors import InputError
from trafikplan.io.files.atomic import write_text

__all__ = ["LOCAL_USER", "ROLES", "USERS_FILE", "User", "add_user", "check_password", "read_users"]

USERS_FILE = "users.toml"
"""The users of a data folder (beside ``trafikplan.toml``)."""

ROLES = ("police", "kommun")
"""``police`` sees and changes check plans; ``kommun`` sees everything else."""

LOCAL_USER = "lokal"
"""The one user of a server bound to localhost."""


@dataclass(frozen=True)
class User:
    """A user of the web app.

    Attributes
    ----------
    name : str
        Login name.
    role : str
        One of :data:`ROLES`.
    password_hash : str
        Argon2id hash ("" for the local user, who has no password).
    """

    name: str
    role: str
    password_hash: str = ""


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def read_users(data_dir: Path | str) -> dict[str, User]:
    """Return the users of ``DATA_DIR/users.toml`` by name (empty when there is none).

    Raises
    ------
    InputError
        The file is not TOML, or a user has no hash or an unknown role.
    """
    path = Path(data_dir) / USERS_FILE
    if not path.is_file():
        return {}
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError("err_users_unreadable", detail=exc, path=path) from None
    users = {}
    for name, row in (doc.get("users") or {}).items():
        if not isinstance(row, dict) or row.get("role") not in ROLES \
                or not str(row.get("password_hash", "")).startswith("$argon2"):
            raise InputError("err_user_invalid", name=name, path=path)
        users[str(name)] = User(str(name), str(row["role"]), str(row["password_hash"]))
    return users


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_user(data_dir: Path | str, name: str, role: str, password: str) -> Path:
    """Add (or replace) user ``name`` with ``role`` and the hash of ``password``.

    The whole file is written again atomically, readable by its owner only.

    Raises
    ------
    InputError
        An unknown role, an empty password or a name that is not a plain word.
    """
    if role not in ROLES:
        raise InputError("err_role", roles=", ".join(ROLES), role=role, column="--role")
    if not re.fullmatch(r"[A-Za-z0-9_]{1,64}", name):
        raise InputError("err_user_name", name=name, column="--add-user")
    if len(password) < 8:
        raise InputError("err_password_short", column="--add-user")
    users = read_users(data_dir)
    users[name] = User(name, role, _hasher().hash(password))
    lines = ["# trafikplan serve: users of this data folder (only password hashes)", ""]
    for user in users.values():
        lines += [f"[users.{_toml_string(user.name)}]", f"role = {_toml_string(user.role)}",
                  f"password_hash = {_toml_string(user.password_hash)}", ""]
    return write_text(Path(data_dir) / USERS_FILE, "\n".join(lines), private=True)


def check_password(user: User | None, password: str) -> TypeGuard[User]:
    """Return True when ``password`` matches ``user``'s hash (False for no user)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if user is None or not user.password_hash:
        _hasher().hash(password)  # the same work for an unknown name: no timing hint
        return False
    try:
        return bool(_hasher().verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
