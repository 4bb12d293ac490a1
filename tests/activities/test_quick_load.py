"""The batch's quick load answers exactly what marshmallow's load answers: the same values for
valid entries, the same errors (messages and field names) for everything else."""

import uuid
from datetime import date, time
from decimal import Decimal
from unittest import mock

import marshmallow as ma
import pytest

from app.activities.schemas import ActivityBatchEntryIn, ActivityCreateIn, ActivityUpdateIn
from app.core.schemas import MAX_INT, quick_load

KEY = str(uuid.uuid4())
VALID = {"date": "2026-03-09", "start_time": "08:00", "end_time": "09:30",
         "description": "  Menyusun laporan  ", "quantity": 1, "unit": "dokumen",
         "target_id": 12, "id": KEY}

CREATES = [
    VALID,
    {**VALID, "quantity": "2.5", "unit": None, "target_id": None},
    {**VALID, "quantity": 1.005, "work_kind": "lainnya", "status": "submitted"},
    {**VALID, "start_time": "8:5:07", "description": "Rapat 💼 koordinasi"},
    {**VALID, "quantity": 0},
    {**VALID, "quantity": 7},
    {**VALID, "quantity": 10**12 - 1},
    {**VALID, "quantity": 10**12},
    {**VALID, "quantity": -(10**12)},
    # each refused, for its own reason
    {**VALID, "target_id": MAX_INT + 1},
    {**VALID, "target_id": -MAX_INT - 1},
    {**VALID, "target_id": True},
    {**VALID, "target_id": "12"},
    {**VALID, "target_id": 1.0},
    {**VALID, "quantity": "NaN"},
    {**VALID, "quantity": -1},
    {**VALID, "quantity": 10**13},
    {**VALID, "quantity": True},
    {**VALID, "description": "   "},
    {**VALID, "description": "x" * 2001},
    {**VALID, "description": "a\x00b"},
    {**VALID, "description": "a\ud800b", "unit": "\x00"},
    {**VALID, "description": None},
    {**VALID, "description": 5},
    {**VALID, "date": "2026-02-30"},
    {**VALID, "date": "20260309"},
    {**VALID, "date": None},
    {**VALID, "end_time": "24:00"},
    {**VALID, "work_kind": "other"},
    {**VALID, "status": "approved"},
    {**VALID, "id": "not-a-uuid"},
    {**VALID, "id": 7},
    {**VALID, "extra": 1},
    {key: value for key, value in VALID.items() if key != "date"},
    {},
    [VALID],
    "text",
    None,
]

ENTRIES = [
    {"op": "create", "id": KEY, "data": VALID},
    {"op": " update ", "id": KEY, "version": 3, "data": {}},
    {"op": "submit", "id": KEY},
    {"op": "delete", "id": KEY},
    {"op": "create", "id": KEY, "version": 0},
    {"op": "create", "id": KEY, "version": 2**31},
    {"op": "create", "id": KEY, "data": []},
    {"op": "create", "id": KEY, "data": None},
    {"op": "create"},
    {"op": "create", "id": "{" + KEY + "}"},
    {"op": "create", "id": KEY, "data": {}, "more": True},
    42,
]

UPDATES = [
    {"version": 1, "description": "Baru"},
    {"version": 2, "quantity": None, "unit": None, "target_id": None},
    {"version": None, "description": "Baru"},
    {"version": 0},
    {"description": "Baru"},
    {"version": 1, "id": KEY},
]


def outcome(load, data):
    """What a load answers: ("ok", values) or ("refused", messages)."""
    try:
        return "ok", load(data)
    except ma.ValidationError as error:
        return "refused", error.messages


@pytest.mark.parametrize(("schema", "inputs"), [
    (ActivityCreateIn, CREATES), (ActivityBatchEntryIn, ENTRIES), (ActivityUpdateIn, UPDATES)])
def test_the_quick_load_answers_as_the_schema(app, schema, inputs):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        instance = schema()
        quick = quick_load(instance)
        for data in inputs:
            assert outcome(quick, data) == outcome(instance.load, data), data


@pytest.mark.parametrize("schema", [ActivityCreateIn, ActivityBatchEntryIn, ActivityUpdateIn])
def test_each_batch_schema_has_a_quick_load(app, schema):
    """Every hook of the batch's schemas is one the quick load keeps (a new hook on the base
    schema would otherwise silently send every entry through marshmallow)."""
    with app.test_request_context():
        instance = schema()
        assert quick_load(instance) != instance.load


def test_a_valid_entry_is_loaded_without_marshmallow(app):
    """The quick path is taken (else the batch is no faster), and its values are typed."""
    with app.test_request_context():
        instance = ActivityCreateIn()
        quick = quick_load(instance)
        with mock.patch.object(ma.Schema, "_do_load", side_effect=AssertionError) as load:
            loaded = quick({**VALID, "quantity": "2.5"})
            entry = quick_load(ActivityBatchEntryIn())({"op": "create", "id": KEY,
                                                         "data": VALID})
        assert not load.called
        assert loaded == {"date": date(2026, 3, 9), "start_time": time(8, 0),
                          "end_time": time(9, 30), "description": "Menyusun laporan",
                          "quantity": Decimal("2.50"), "unit": "dokumen", "target_id": 12,
                          "id": uuid.UUID(KEY)}
        assert entry == {"op": "create", "id": uuid.UUID(KEY), "data": VALID}


def test_quantities_keep_the_schema_s_places(app):
    """Whole numbers take a quick path of their own: the same Decimal, to the cent."""
    with app.test_request_context():
        instance = ActivityCreateIn()
        quick = quick_load(instance)
        for quantity in (0, 1, 48, 10**12 - 1, "2.5", 1.005):
            data = {**VALID, "quantity": quantity}
            assert str(quick(data)["quantity"]) == str(instance.load(data)["quantity"])


def test_dates_outside_the_range_are_refused_as_the_schema_refuses_them(app):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        instance = ActivityCreateIn()
        quick = quick_load(instance)
        for day in ("1899-12-31", "3000-01-01", "9999-12-31", "0001-01-01", "1900-01-01",
                    "2999-12-31"):
            data = {**VALID, "date": day}
            assert outcome(quick, data) == outcome(instance.load, data), day


def test_a_schema_with_its_own_hooks_is_loaded_by_marshmallow(app):
    class Shouting(ActivityUpdateIn):
        @ma.post_load
        def shout(self, data, **kwargs):
            return {**data, "description": data["description"].upper()}

    with app.test_request_context():
        instance = Shouting()
        assert quick_load(instance) == instance.load
        assert quick_load(instance)({"version": 1, "description": "a"})["description"] == "A"
