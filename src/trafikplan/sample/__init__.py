"""The Köping 2024 sample data folder and a vectorised traffic simulator.

``python -m trafikplan.sample DATA_DIR`` regenerates the sample
(:func:`trafikplan.sample.generate.generate`). For tests and benchmarks:
:func:`simulate_vehicles` (canonical vehicles table) and the raw-layout
writers :func:`write_se_radar`, :func:`write_generic_vehicles` and
:func:`write_se_bins`.
"""

from trafikplan.sample.layouts import write_generic_vehicles, write_se_bins, write_se_radar
from trafikplan.sample.traffic import ClassMix, simulate_vehicles

__all__ = ["ClassMix", "simulate_vehicles", "write_generic_vehicles", "write_se_bins",
           "write_se_radar"]
