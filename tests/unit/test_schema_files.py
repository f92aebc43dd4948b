"""The JSON Schemas shipped for pack authors match the models."""

from exercises.schema import HERE, SCHEMAS, render


def test_pack_schemas_are_current():
    for name, model in SCHEMAS.items():
        stale = (HERE / name).read_text(encoding="utf-8") != render(model)
        assert not stale, f"{name} is stale: run `python -m exercises.schema`"
