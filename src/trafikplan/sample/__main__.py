"""Regenerate the sample data folder: ``python -m trafikplan.sample DATA_DIR``.

Options: ``--expected FILE`` writes the expected values there (default:
``tests/data/sample_expected.json`` when a ``tests/data`` folder exists in the
current directory, as in the project root; ``--expected ''`` writes none).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from trafikplan.sample.generate import generate, write_expected


def main(argv: list[str] | None = None) -> int:
    """Run the generator; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m trafikplan.sample",
                                     description="Write the Köping 2024 sample data folder.")
    parser.add_argument("data_dir", nargs="?", default="data/measurements")
    parser.add_argument("--expected", default=None,
                        help="where to write the expected values (JSON)")
    args = parser.parse_args(argv)
    expected_path = args.expected
    if expected_path is None and Path("tests/data").is_dir():
        expected_path = "tests/data/sample_expected.json"
    t0 = time.perf_counter()
    try:
        expected = generate(args.data_dir)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if expected_path:
        write_expected(expected, expected_path)
    totals = expected["totals"]
    print(f"{args.data_dir}: {totals['counter_files']} counter files, "
          f"{totals['vehicles']} vehicles ({totals['vehicles_per_vehicle_files']} per vehicle), "
          f"{totals['rejected_rows']} defective rows, {expected['reports']['total']} reports "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
