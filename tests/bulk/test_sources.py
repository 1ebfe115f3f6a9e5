"""Reading inputs as streams: NDJSON line by line (plain, gzip, HTTP body), located failures."""

from __future__ import annotations

import glob
import gzip
import json
import os
import threading
from collections.abc import AsyncIterator
from itertools import islice, pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest import sources
from app.ingest.record import IngestError
from app.ingest.sources import (
    CHUNK_LINES,
    InputFile,
    LineChunk,
    SourceFailure,
    SourceItem,
    format_of,
    iter_file_chunks,
    iter_sources,
    list_inputs,
    read_chunk,
    read_whole,
    stream_chunks,
)
from tests.bulk.wire_text import wire_story

BODY = b"\n".join([*(json.dumps({"text": wire_story(n)}).encode() for n in range(3)), b"", b"{}"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("story.txt", "text"),
        ("page.HTM", "html"),
        ("export.jsonl.gz", "ndjson"),  # .gz is looked through
        ("export.ndjson", "ndjson"),
        ("articles.json", "json"),
        ("README", "text"),  # no extension: plain text
        ("v1.2.tar.gz", "text"),  # an unknown extension: plain text
    ],
)
def test_format_follows_the_extension(name: str, expected: str) -> None:
    assert format_of(name, "auto") == expected


def _write_ndjson(path: Path, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)


@pytest.mark.parametrize("name", ["export.ndjson", "export.ndjson.gz"])
def test_ndjson_streams_in_chunks_with_line_numbers(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _write_ndjson(path, [json.dumps({"text": wire_story(n)}) for n in range(10)])
    file = InputFile(str(path), path.stat().st_size, 0, "ndjson")
    chunks = list(iter_file_chunks(file, size=4))
    assert [(c.first_line, len(c.lines)) for c in chunks] == [(1, 4), (5, 4), (9, 2)]
    assert chunks[-1].end == path.stat().st_size  # read to the end of the stored bytes


def test_each_bad_line_fails_alone_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "export.ndjson"
    lines = [json.dumps({"text": wire_story(1)}), "{oops", "", json.dumps({"url": "x"})]
    _write_ndjson(path, lines)
    results = list(iter_sources([str(path)]))
    assert [type(r) for r in results] == [SourceItem, SourceFailure, SourceFailure]
    assert [(r.path, r.line) for r in results] == [(str(path), 1), (str(path), 2), (str(path), 4)]
    assert results[1].origin == f"{path}:2"


@pytest.mark.parametrize("field", ["text", "source", "url"])
def test_a_lone_surrogate_in_a_json_string_fails_its_line_alone(tmp_path: Path, field: str) -> None:
    path = tmp_path / "export.ndjson"
    # The JSON escape of half a UTF-16 pair, as a careless exporter writes it.
    broken = json.dumps({"text": wire_story(2)} | {field: "Kabul SURROGATE talks"})
    lines = [json.dumps({"text": wire_story(1)}), broken.replace("SURROGATE", "\\ud800")]
    _write_ndjson(path, lines)
    results = list(iter_sources([str(path)]))
    assert [type(r) for r in results] == [SourceItem, SourceFailure]
    assert isinstance(results[1], SourceFailure)
    assert results[1].line == 2
    assert results[1].reason.startswith(f"invalid JSON article: {field}: ")


@pytest.mark.parametrize("size", [0, 99, 100])
@pytest.mark.parametrize("name", ["story.txt", "story.txt.gz"])
def test_a_file_up_to_the_cap_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, size: int
) -> None:
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 100)
    text = wire_story(1).encode()[:size]
    path = tmp_path / name
    path.write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    assert read_whole(str(path)) == text


@pytest.mark.parametrize(
    ("name", "reason"),
    [("story.txt", "is larger than"), ("story.txt.gz", "unpacks to more than")],
)
def test_a_file_past_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, reason: str
) -> None:
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 100)
    text = wire_story(1).encode()[:101]
    path = tmp_path / name
    path.write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    with pytest.raises(IngestError, match=reason):
        read_whole(str(path))


def test_a_named_pipe_with_no_size_on_disk_is_read_to_its_end(tmp_path: Path) -> None:
    text = wire_story(1).encode()
    pipe = tmp_path / "story.txt"
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_bytes, args=(text,))
    writer.start()
    assert read_whole(str(pipe)) == text
    writer.join()


def test_json_array_items_are_located_by_position(tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([{"text": wire_story(1)}, {"html": 3}]))
    results = list(iter_sources([str(path)]))
    assert [(type(r), r.item) for r in results] == [(SourceItem, 1), (SourceFailure, 2)]


def streamed(*pieces: bytes, size: int = CHUNK_LINES) -> list[LineChunk]:
    """The chunks `stream_chunks` makes of a body arriving in these pieces."""

    async def arriving() -> AsyncIterator[bytes]:
        for piece in pieces:
            yield piece

    async def collect() -> list[LineChunk]:
        return [chunk async for chunk in stream_chunks(arriving(), "line", size=size)]

    # Nothing here really waits, so the coroutine runs to its end on the first step.
    with pytest.raises(StopIteration) as finished:
        collect().send(None)
    chunks: list[LineChunk] = finished.value.value
    return chunks


def test_an_http_body_is_split_into_lines_whatever_its_pieces() -> None:
    chunks = streamed(b'{"text": "a"}\n{"te', b'xt": "b"}\n', b"\n", b'{"text": "c"}', size=2)
    assert [(c.first_line, c.lines) for c in chunks] == [
        (1, (b'{"text": "a"}', b'{"text": "b"}')),
        (3, (b"", b'{"text": "c"}')),
    ]
    assert [item.line for chunk in chunks for item in read_chunk(chunk)] == [1, 2, 4]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, len(BODY)), max_size=12))
def test_a_line_arriving_in_many_pieces_is_one_line(cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), len(BODY)]
    pieces = [BODY[start:end] for start, end in pairwise(bounds)]
    lines = [line for chunk in streamed(*pieces) for line in chunk.lines]
    assert lines == BODY.split(b"\n")


@pytest.mark.parametrize("name", ["export.ndjson", "export.ndjson.gz"])
def test_a_line_past_the_cap_fails_alone_without_being_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 1000)
    story = json.dumps({"text": wire_story(1)[:900]})
    at_cap = story[:-1] + " " * (999 - len(story)) + "}"  # 1,000 bytes with its line end
    # An exporter that wrote one story without its line end, then binary junk, then more.
    lines = [story, story + story, "x" * 5000, story, at_cap]
    path = tmp_path / name
    _write_ndjson(path, lines)
    file = InputFile(str(path), path.stat().st_size, 0, "ndjson")
    chunks = list(iter_file_chunks(file, size=2))
    assert [c.too_long for c in chunks] == [(2,), (3,), ()]
    assert max(len(line) for c in chunks for line in c.lines) <= 1000
    results = list(iter_sources([str(path)]))
    assert [(type(r), r.line) for r in results] == [
        (SourceItem, 1),
        (SourceFailure, 2),
        (SourceFailure, 3),
        (SourceItem, 4),
        (SourceItem, 5),
    ]
    assert results[1].reason.startswith("the line is longer than")


def test_a_folder_reached_again_through_a_symbolic_link_is_walked_once(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    (stories / "kabul").mkdir(parents=True)
    (stories / "kabul" / "talks.txt").write_text(wire_story(1), encoding="utf-8")
    (stories / "kabul" / "archive").symlink_to(stories)  # a link back up the tree
    (stories / "kabul-again").symlink_to(stories / "kabul")  # a second way to one folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "floods.txt").write_text(wire_story(2), encoding="utf-8")
    (stories / "more").symlink_to(elsewhere)  # a linked folder outside is walked

    found = list(islice(list_inputs([str(stories)], "auto"), 10))  # a loop lists on and on

    assert [Path(f.path).name for f in found if isinstance(f, InputFile)] == [
        "talks.txt",
        "floods.txt",
    ]
    assert not [f for f in found if isinstance(f, SourceFailure)]


def _story_tree(root: Path) -> None:
    for path in ("kabul/talks.txt", "kabul/2021/sept/floods.txt", "kabul/notes.md", "top.txt"):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(wire_story(len(path)), encoding="utf-8")
    (root / ".drafts").mkdir()
    (root / ".drafts" / "draft.txt").write_text(wire_story(9), encoding="utf-8")


@pytest.mark.parametrize(
    "pattern", ["**/*.txt", "*/*.txt", "kabul/**/sept/*.txt", "./kabul/*.txt", "*/*.md", "top.txt"]
)
def test_a_pattern_finds_the_files_glob_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str
) -> None:
    _story_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    for typed in (pattern, f"{tmp_path}/{pattern}"):
        expected = sorted(str(Path(m)) for m in glob.glob(typed, recursive=True))  # noqa: PTH207
        assert [f.path for f in list_inputs([typed], "auto")] == expected


def test_a_pattern_ending_in_two_stars_lists_each_file_beneath_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _story_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    # glob matches the folders and the files in them: each file is listed once all the same
    assert [f.path for f in list_inputs(["kabul/**"], "auto")] == [
        "kabul/2021/sept/floods.txt",
        "kabul/notes.md",
        "kabul/talks.txt",
    ]


def test_a_recursive_pattern_lists_a_folder_reached_again_through_a_link_once(
    tmp_path: Path,
) -> None:
    _story_tree(tmp_path)
    kabul = tmp_path / "kabul"
    (kabul / "2021" / "back").symlink_to(tmp_path)  # glob follows it until refused

    found = list(islice(list_inputs([f"{tmp_path}/**/*.txt"], "auto"), 10))

    assert sorted(Path(f.path).relative_to(tmp_path).as_posix() for f in found) == [
        "kabul/2021/sept/floods.txt",
        "kabul/talks.txt",
        "top.txt",
    ]
