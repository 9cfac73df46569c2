"""National-scale data for benchmarks and query-count tests (issue 25): `generate()` fills a
database at one of the sizes in `SIZES`, and `landmarks()` finds in it the records a benchmark
needs. `manage.py seed_scale` runs the generator."""

from home.scale.directory import SCALE_PASSWORD, totp_secret_for
from home.scale.generator import generate
from home.scale.landmarks import Landmarks, landmarks
from home.scale.sizes import SIZES, Size

__all__ = [
    "SCALE_PASSWORD",
    "SIZES",
    "Landmarks",
    "Size",
    "generate",
    "landmarks",
    "totp_secret_for",
]
