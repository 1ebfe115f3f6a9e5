"""PostgreSQL full-text search: text configuration, search documents, vocabulary

Only on PostgreSQL; on SQLite this revision does nothing (Whoosh holds the index).

The `newsarchive` text search configuration folds accents (`unaccent`) and
stems English with the original Porter algorithm (Whoosh's stemmer) without
dropping stop words, so both engines find the same words. `search_documents`
holds what `PostgresBackend.index` was given; its `tsvector` columns are
generated from the stored text, so they can never disagree with it.
`search_terms` is the vocabulary (surface words and how many documents hold
them) behind suggestions and prefix expansion.

Revision ID: 0002_postgres_search
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

revision = "0002_postgres_search"
down_revision = "0001"
branch_labels = None
depends_on = None

CONFIG = "newsarchive"


#: Joins the names of one field (`app.search.pg_schema.SEPARATOR`).
SEPARATOR = " ; "
#: A placeholder word between names and after each field, deleted from the vectors
#: afterwards: the positions it took stay empty, so no phrase runs from one name
#: (or field) into the next.
GAP = "xxgapxx"


def _vector(expression: str) -> str:
    # Angle brackets become spaces: the parser would take `<IBM>` for markup and drop it.
    text = f"replace(translate({expression}, '<>', '  '), '{SEPARATOR}', ' {GAP} ') || ' {GAP}'"
    return f"to_tsvector('{CONFIG}'::regconfig, {text})"


def _without_gaps(vector: str) -> str:
    return f"ts_delete({vector}, '{GAP}'::text)"


PLACES_AND_DATELINE = "place_text || ' ; ' || coalesce(dateline, '')"
DATELINE_VECTOR = _without_gaps(_vector("coalesce(dateline, '')"))
TRANSLATOR_VECTOR = _without_gaps(_vector("coalesce(translator, '')"))
PLACE_VECTOR = _without_gaps(_vector("place_text"))
AUTHOR_VECTOR = _without_gaps(_vector("author_text"))
DOCUMENT_VECTOR = _without_gaps(
    " || ".join(
        (
            f"setweight({_vector('title')}, 'A')",
            f"setweight({_vector('person_text')}, 'B')",
            f"setweight({_vector(PLACES_AND_DATELINE)}, 'C')",
            f"setweight({_vector('body')}, 'D')",
        )
    )
)


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgres():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        f"CREATE TEXT SEARCH DICTIONARY {CONFIG}_stem (TEMPLATE = snowball, LANGUAGE = porter)"
    )
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR "
        f"asciiword, asciihword, hword_asciipart, word, hword, hword_part "
        f"WITH unaccent, {CONFIG}_stem"
    )
    op.execute(
        f"""
        CREATE TABLE search_documents (
            id bigint PRIMARY KEY,
            title text NOT NULL,
            body text NOT NULL,
            agency text,
            dateline text,
            section text,
            language text,
            translator text,
            published_at timestamptz,
            sort_date timestamptz NOT NULL,
            month text NOT NULL,
            people text[] NOT NULL,
            places text[] NOT NULL,
            keys text[] NOT NULL,
            person_text text NOT NULL,
            place_text text NOT NULL,
            author_text text NOT NULL,
            document tsvector GENERATED ALWAYS AS ({DOCUMENT_VECTOR}) STORED,
            place_vector tsvector GENERATED ALWAYS AS ({PLACE_VECTOR}) STORED,
            dateline_vector tsvector
                GENERATED ALWAYS AS ({DATELINE_VECTOR}) STORED,
            author_vector tsvector GENERATED ALWAYS AS ({AUTHOR_VECTOR}) STORED,
            translator_vector tsvector
                GENERATED ALWAYS AS ({TRANSLATOR_VECTOR}) STORED
        )
        """
    )
    op.execute("CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)")
    op.execute("CREATE INDEX ix_search_documents_keys ON search_documents USING gin (keys)")
    op.execute(
        "CREATE INDEX ix_search_documents_author ON search_documents USING gin (author_vector)"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_translator "
        "ON search_documents USING gin (translator_vector)"
    )
    op.execute("CREATE INDEX ix_search_documents_sort_date ON search_documents (sort_date, id)")
    op.execute("CREATE TABLE search_terms (word text PRIMARY KEY, docs integer NOT NULL)")
    op.execute(
        "CREATE INDEX ix_search_terms_word_trgm ON search_terms USING gin (word gin_trgm_ops)"
    )
    op.execute("CREATE INDEX ix_search_terms_word_pattern ON search_terms (word text_pattern_ops)")


def downgrade() -> None:
    if not _is_postgres():
        return
    op.execute("DROP TABLE search_terms")
    op.execute("DROP TABLE search_documents")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {CONFIG}")
    op.execute(f"DROP TEXT SEARCH DICTIONARY {CONFIG}_stem")
