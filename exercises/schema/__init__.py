"""JSON Schemas of the pack files, for editors; regenerate with `python -m exercises.schema`."""

from __future__ import annotations

import json
from pathlib import Path

from exercises.exam_model import ExamSpec
from exercises.model import Exercise, PackMeta

HERE = Path(__file__).parent
SCHEMAS = {"exercise.schema.json": Exercise, "pack.schema.json": PackMeta, "exam.schema.json": ExamSpec}


def render(model: type) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write() -> list[Path]:
    written = []
    for name, model in SCHEMAS.items():
        path = HERE / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written
