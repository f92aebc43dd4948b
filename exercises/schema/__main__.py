"""Regenerate the pack JSON Schemas."""

from exercises.schema import write

for path in write():
    print(path)
