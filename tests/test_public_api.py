"""The public exceptions are the ones trafikplan raises, and the package ships type hints."""

from pathlib import Path

import pytest

import trafikplan
import trafikplan.errors as errors


def test_errors_module_exports_the_raised_classes(tmp_path):
    assert {"InfeasiblePlanError", "InputError", "LockTimeoutError",
            "TrafikplanError"} <= set(errors.__all__)
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.TrafikplanError)
    (tmp_path / "trafikplan.toml").write_text("municipality = 'Köping'\n", encoding="utf-8")
    with pytest.raises(errors.InputError) as caught:
        trafikplan.load_settings(tmp_path)
    assert "timezone" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_package_ships_py_typed():
    assert (Path(trafikplan.__file__).parent / "py.typed").is_file()
