"""A seeded simulator of whole studies with known, planted truth.

Feeds the demo, the docs, the tests and the benchmarks; no personal data ever enters the
repository. The evaluation may not import this package (import-linter), so an estimator can
never peek at the truth it is checked against.
"""

from mentorwijs.simulation.effects import PlantedEffects
from mentorwijs.simulation.study import SimulatedStudy, simulate_package, simulate_study

__all__ = ["PlantedEffects", "SimulatedStudy", "simulate_package", "simulate_study"]
