"""The generator at benchmark scale: synthetic cities, provinces or the whole country, streamed to disk.

Only valid rows (plus an optional share of deliberately bad ones); the messy,
hand-made sample is pipelines.defs.generate.sample.
"""

from pipelines.defs.generate.scale.run import ScaleManifest, generate_scale
from pipelines.defs.generate.scale.spec import SCALES, ScaleSpec

__all__ = ["SCALES", "ScaleManifest", "ScaleSpec", "generate_scale"]
