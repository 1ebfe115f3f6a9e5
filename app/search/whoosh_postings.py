"""Whoosh's posting writer (whoosh3 codec), with its loop per term made tight.

At commit, and in every merge, a Whoosh writer turns its sorted postings into
posting blocks and a term index. Whoosh does that through five method calls,
a fresh term-info object and three fresh arrays per term, asserts on every
posting, and a system call (`tell`) for every offset it records. Most terms
of a news archive have a single posting (names, numbers, rare words), so the
cost per term is the cost of the commit: at 10,700 Reuters stories, 145,554
terms for 1.1 million postings.

`add_postings` writes what Whoosh's writer writes (blocks, compression, term
infos, hash table) in one loop, keeping the file positions itself, but for
one thing: a block's data (doc number deltas, weights, values) is pickled
with protocol 5, where Whoosh uses protocol 2. Protocol 2 has no opcode for
bytes, so each value (a posting's positions) was pickled as a call of
`_codecs.encode` on a Latin-1 string: a block of 128 postings took 44 µs to
pickle and 35 µs to unpickle, against 5 µs and 6 µs, and 17 bytes more per
posting on disk. Whoosh's reader unpickles any protocol. `tests/unit/search/
test_whoosh_postings.py` checks that a segment reads back, term by term and
posting by posting, exactly as the one Whoosh's own writer makes, and that all
else is byte for byte Whoosh's.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from hashlib import md5
from operator import sub
from pickle import dumps
from types import MethodType
from typing import Any

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3PerDocReader,
    W3TermInfo,
    _lenfield,
)
from whoosh.columns import NumericColumn
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

#: A posting as Whoosh's pool sorts it: (field, term bytes, doc number, weight, value).
Posting = tuple[str, bytes, int, float, bytes | None]

#: Buffered parts written out at once.
FLUSH_PARTS = 4096
#: The pickle protocol of a block's data (Whoosh writes 2; see above).
BLOCK_PROTOCOL = 5
_NO_ID = 0xFFFFFFFF
_TERM_INFO = W3TermInfo._struct.pack
#: A length byte as Whoosh decodes it for a posting (0: no length, None).
_DECODED: tuple[int | None, ...] = (None, *(byte_to_length(b) for b in range(1, 256)))


def _no_length(_docnum: int) -> int:
    return 0


def _block(
    postings: Sequence[Posting],
    length_of: Callable[[int], int | None],
    fixed_size: int | None,
    compression: int,
) -> tuple[bytes, float, float, int | None, int]:
    """One posting block as `W3PostingsWriter._write_block` writes it (without its
    length), with the block statistics its term info adds up."""
    _, _, ids, weights, values = zip(*postings, strict=True)
    lengths = list(map(length_of, ids))
    rounded = array("f", weights)
    deltas = tuple(map(sub, ids, (0, *ids[:-1])))
    if rounded.count(rounded[0]) < len(rounded):
        mini_weights: Any = tuple(rounded)
    elif rounded[0] == 1.0:
        mini_weights = None
    else:
        mini_weights = rounded[0]
    kept = list(filter(None, values))  # Whoosh keeps no empty value (None included)
    if fixed_size is None or fixed_size < 0:
        mini_values: Any = tuple(kept)
    elif fixed_size == 0:
        mini_values = None
    else:
        mini_values = b"".join(kept)
    data = dumps((deltas, mini_weights, mini_values), BLOCK_PROTOCOL)
    level = compression if len(data) >= COMPRESSION_MIN_SIZE else 0
    if level:
        data = zlib.compress(data, level)
    present = list(filter(None, lengths))
    min_length = min(present) if present else None
    max_length = max(present, default=0)
    max_weight = max(0, *weights)
    info = dumps(
        (
            len(ids),
            ids[-1],
            max_weight,
            level,
            length_to_byte(min_length),
            length_to_byte(max_length),
        ),
        2,
    )
    return info + data, sum(rounded), max_weight, min_length, max_length


def _length_readers(lengths: Any) -> Callable[[str], Callable[[int], int | None]]:
    """Per field, the length of a document's field (0 without lengths), as Whoosh reads it."""
    if not lengths:
        return lambda _fieldname: _no_length
    if isinstance(lengths, W3PerDocReader):
        return lambda fieldname: _length_table(lengths, fieldname)
    reader = getattr(lengths, "doc_field_length_reader", None)
    if reader is not None:
        return reader  # type: ignore[no-any-return]
    return lambda fieldname: lambda docnum: lengths.doc_field_length(docnum, fieldname)


def _length_table(lengths: W3PerDocReader, fieldname: str) -> Callable[[int], int | None]:
    """`doc_field_length_reader(fieldname)`, read from the length column in one go: its
    bytes decoded once each, rather than a column lookup for every posting."""
    reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if not isinstance(reader, NumericColumn.Reader) or reader._fixedlen != 1:
        return lengths.doc_field_length_reader(fieldname)  # type: ignore[no-any-return]
    stored = reader._dbfile.get(reader._basepos, reader._count)
    table = [_DECODED[byte] for byte in stored]
    table += [None] * (lengths.doc_count_all() - len(table))
    return table.__getitem__


class _Writer:
    """Posting blocks and term entries of one `add_postings` call, buffered, with the
    positions in both files kept here (Whoosh asks the file, a system call each time)."""

    def __init__(self, fieldwriter: W3FieldWriter) -> None:
        codec = fieldwriter._codec
        self.limit, self.compression = codec._blocklimit, codec._compression
        self.postfile, self.tindex = fieldwriter._postfile, fieldwriter._tindex
        self.post_at, self.term_at = self.postfile.tell(), self.tindex.dbfile.tell()
        self.posts: list[bytes] = []
        self.terms: list[bytes] = []

    def term(
        self,
        key: bytes,
        postings: list[Posting],
        fixed_size: int | None,
        length_of: Callable[[int], int | None],
    ) -> None:
        """Write one term's blocks and its entry in the term index."""
        start, count = self.post_at, len(postings)
        weight = 0.0
        max_weight: float = 0
        min_length: int | None = None
        max_length = 0
        for first in range(0, count, self.limit):
            end = first + self.limit
            block, block_weight, block_max, block_min, block_max_length = _block(
                postings[first:end], length_of, fixed_size, self.compression
            )
            weight += block_weight
            max_weight = max(max_weight, block_max)
            # Whoosh's own comparison, None included.
            min_length = block_min if min_length is None else min(min_length, block_min)  # type: ignore[type-var]
            max_length = max(max_length, block_max_length)
            size = pack_int(len(block) if end < count else -len(block))
            head = WHOOSH3_HEADER_MAGIC + size if first == 0 else size
            self.posts += (head, block)
            self.post_at += len(head) + len(block)
        info = _TERM_INFO(
            False,
            weight,
            count,
            0 if min_length is None else length_to_byte(min_length),
            length_to_byte(max_length),
            max_weight,
            postings[0][2],
            postings[-1][2],
        )
        self._entry(key, info + pack_long(start) + pack_int(self.post_at - start))
        if len(self.posts) > FLUSH_PARTS:
            self.flush()

    def _entry(self, key: bytes, value: bytes) -> None:
        """`OrderedHashWriter.add`: the key and value, their position kept and hashed."""
        tindex = self.tindex
        if key <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{key!r}")
        tindex.index.append(self.term_at)
        entry = _lengths.pack(len(key), len(value)) + key + value
        self.terms.append(entry)
        digest = int(md5(key, usedforsecurity=False).hexdigest(), 16) & _NO_ID
        tindex.buckets[digest & 255].append((digest, self.term_at))
        self.term_at += len(entry)
        tindex.lastkey = key

    def flush(self) -> None:
        """Write out what is buffered."""
        self.postfile.write(b"".join(self.posts))
        self.tindex.dbfile.write(b"".join(self.terms))
        self.posts.clear()
        self.terms.clear()


def add_postings(self: W3FieldWriter, schema: Any, lengths: Any, items: Iterable[Posting]) -> None:
    """Write sorted postings to this field writer's posting file and term index: what
    `W3FieldWriter.add_postings` writes, byte for byte."""
    if self._codec._inlinelimit > 1:  # postings inlined in term infos: Whoosh's own loop
        type(self).add_postings(self, schema, lengths, items)
        return
    writer, length_readers = _Writer(self), _length_readers(lengths)
    fieldmap = self._fieldmap
    postings: list[Posting] = []
    last_field: str | None = None
    last_text: bytes | None = None
    field_key, key = b"", b""
    fixed_size: int | None = None
    length_of: Callable[[int], int | None] = _no_length
    for item in items:
        fieldname, btext, docnum = item[0], item[1], item[2]
        new_field = fieldname != last_field
        # A spelling word (doc number -1, Whoosh's mark) is no posting and ends no term.
        new_term = new_field or (docnum != -1 and btext != last_text)
        if new_field and last_field is not None and fieldname < last_field:
            raise OutOfOrderError(f"Field {last_field!r} .. {fieldname!r}")
        if not new_field and last_text is not None and btext < last_text:
            raise OutOfOrderError(f"Term {fieldname}:{last_text!r} .. {fieldname}:{btext!r}")
        if new_term and postings:
            writer.term(key, postings, fixed_size, length_of)
            postings = []
        if new_field:
            field_key = pack_ushort(fieldmap.setdefault(fieldname, len(fieldmap)))
            fixed_size = schema[fieldname].format.fixed_value_size()
            length_of = length_readers(fieldname)
            last_field, last_text = fieldname, None
        if docnum == -1:
            continue
        if btext != last_text:
            key, last_text = field_key + btext, btext
        postings.append(item)
    if postings:
        writer.term(key, postings, fixed_size, length_of)
    writer.flush()
    self._postwriter = None
    self._infield = False


def use_fast_postings(fieldwriter: Any) -> Any:
    """Have a whoosh3 field writer write its postings with `add_postings`; the writer."""
    if isinstance(fieldwriter, W3FieldWriter):
        fieldwriter.add_postings = MethodType(add_postings, fieldwriter)
    return fieldwriter
