"""Articles cross processes pickled as calls of their classes, losing nothing."""

from __future__ import annotations

import pickle
import pickletools
from dataclasses import dataclass, field

import pytest

from app.ingest.sources import SourceItem
from app.pickling import pickled_by_fields
from app.search.whoosh_schema import pack_text
from app.services.ingest import PreparedArticle, prepare_item
from tests.conftest import SEED_PATH


def opcodes(data: bytes) -> set[str]:
    return {opcode.name for opcode, _, _ in pickletools.genops(data)}


def test_a_finished_article_comes_back_equal_built_by_its_classes() -> None:
    item = SourceItem(str(SEED_PATH), SEED_PATH.read_bytes(), "text", source="AA")
    prepared = prepare_item(item, pack_text)
    assert prepared.record.people and prepared.record.dateline and prepared.signature
    data = pickle.dumps(prepared, pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(data) == prepared
    # Every object is a call of its class: no state set field by field afterwards.
    assert "REDUCE" in opcodes(data) and "BUILD" not in opcodes(data)
    assert type(prepared).__reduce__(prepared)[0] is PreparedArticle


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Headline:
    text: str


def test_a_dataclass_of_one_field_comes_back_equal() -> None:
    headline = Headline("Afghan resistance leader offers talks")
    assert pickle.loads(pickle.dumps(headline)) == headline


def test_a_dataclass_with_a_field_its_constructor_does_not_take_is_refused() -> None:
    @dataclass(frozen=True)
    class Counted:
        text: str
        words: int = field(init=False, default=0)

    with pytest.raises(TypeError, match="all its fields"):
        pickled_by_fields(Counted)
    with pytest.raises(TypeError, match="not a dataclass"):
        pickled_by_fields(str)
