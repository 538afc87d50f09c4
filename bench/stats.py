"""The one percentile the benchmarks report (linear interpolation, as numpy computes it)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) of `values`, which must not be empty."""
    return float(np.percentile(np.asarray(values, dtype=float), q))
