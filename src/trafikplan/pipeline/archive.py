"""The issued check plans in the data folder: the latest version per week and every version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.plan.checks import CheckPlan

__all__ = ["load_issued", "save_plan"]


def save_plan(plan: CheckPlan, data_dir: Path | str) -> Path:
    """Save the issued plan in the data folder's store and archive it as a new version.

    ``.trafikplan/plans/<week>.parquet`` holds the latest version (read by the next
    weeks and by ``--replan``); ``plans/archive/<week>-vN.parquet`` keeps every
    version (0600 files, 0700 folders).

    Returns
    -------
    Path
        The latest version's file.
    """
    from trafikplan.io.files.atomic import atomic_path, make_dir
    from trafikplan.plan.checks import PLANS_DIR

    folder = Path(data_dir) / PLANS_DIR
    make_dir(folder.parent, private=True)
    make_dir(folder, private=True)
    archive = make_dir(folder / "archive", private=True)
    cols = ["team", "start", "end", "site_id", "street", "value"]
    cols += [c for c in ("uid", "sequence") if c in plan.checks.columns]
    df = plan.checks[cols].copy()
    df["start"] = df["start"].dt.tz_convert("UTC")
    df["end"] = df["end"].dt.tz_convert("UTC")
    df["seed"] = int(plan.log.get("seed", 0))
    version = 1 + sum(1 for _ in archive.glob(f"{plan.week}-v*.parquet"))
    df["version"] = version
    path = folder / f"{plan.week}.parquet"
    for target in (archive / f"{plan.week}-v{version}.parquet", path):
        with atomic_path(target, private=True) as tmp:
            df.to_parquet(tmp, index=False)
    return path


def load_issued(data_dir: Path | str, week: str) -> pd.DataFrame | None:
    """Return the issued plan of ``week`` (None when it was never issued)."""
    import pandas as pd

    from trafikplan.plan.checks import PLANS_DIR

    path = Path(data_dir) / PLANS_DIR / f"{week}.parquet"
    if not path.is_file():
        return None
    df = pd.read_parquet(path)
    for c in ("start", "end"):
        df[c] = pd.to_datetime(df[c], utc=True)
    return df
