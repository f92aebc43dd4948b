"""Time bounds in tests are hang detectors, never speed targets (bench/ prints speeds)."""

HANG_SECONDS = 30.0
"""So generous that only a hang, a retry loop or a wait for a long timeout trips it."""
