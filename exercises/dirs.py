"""Where kubedojo keeps its data (the user's packs, progress, caches); no models imported, so the app starts light."""

from __future__ import annotations

import os
from pathlib import Path


def user_data_dir() -> Path:
    """kubedojo's data folder (progress, the user's packs); KUBEDOJO_DATA_DIR overrides it."""
    override = os.environ.get("KUBEDOJO_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as platform_data_dir

    return Path(platform_data_dir("kubedojo", appauthor=False))
