"""Settings of ``make bench-scale``: the suite's settings (fast hashing, plain static files, no
second factor) with the floor views' routes, and rate limits no benchmark reaches (a load
generator is one client)."""

import os

for _name in ("THROTTLE_READ_RATE", "THROTTLE_EXPORT_RATE", "THROTTLE_IMPORT_RATE"):
    os.environ.setdefault(_name, "1000000/min")

from config.test_settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
