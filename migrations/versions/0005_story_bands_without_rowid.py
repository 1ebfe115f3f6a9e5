"""story bands as a table clustered on its key (SQLite: WITHOUT ROWID)

A bulk ingest inserts 32 random band keys per article; in a rowid table
each goes into the table and into its primary-key index, where clustered
on (band_key, article_id) it goes into one tree. Only on SQLite (PostgreSQL
has no rowid). The bands are copied over in key order.

Revision ID: 0005_story_bands_without_rowid
Revises: 0004_search_document_stories
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_story_bands_without_rowid"
down_revision = "0004_search_document_stories"
branch_labels = None
depends_on = None


def _rebuild(with_rowid: bool) -> None:
    """Recreate `story_bands` with or without a rowid, keeping every band."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "story_bands_new",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_bands_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band_key", "article_id", name=op.f("pk_story_bands")),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        "INSERT INTO story_bands_new (band_key, article_id) "
        "SELECT band_key, article_id FROM story_bands ORDER BY band_key, article_id"
    )
    op.drop_index(op.f("ix_story_bands_article_id"), table_name="story_bands")
    op.drop_table("story_bands")
    op.rename_table("story_bands_new", "story_bands")
    op.create_index(op.f("ix_story_bands_article_id"), "story_bands", ["article_id"])


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
