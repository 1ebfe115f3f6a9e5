"""story bands in two levels, without a foreign key or an index on the article

A bulk ingest inserts 32 random band keys per article. In one large tree,
every batch touches nearly every page (and on SQLite writes each to the WAL
and back), so storing got dearer as the archive grew. New bands now go into
`story_bands_recent`, merged into `story_bands` in key order from time to
time. Neither table keeps a foreign key or an index on `article_id` any more
(each cost the insert of every band a second tree walk): deleting an article
deletes its bands by the keys its signature gives.

Revision ID: 0006_story_bands_in_two_levels
Revises: 0005_story_bands_without_rowid
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_story_bands_in_two_levels"
down_revision = "0005_story_bands_without_rowid"
branch_labels = None
depends_on = None

_FOREIGN_KEY = "fk_story_bands_article_id_articles"
_ARTICLE_INDEX = "ix_story_bands_article_id"


def _band_table(name: str, *, linked: bool, key_name: str | None = None) -> None:
    """Create a band table clustered on its key (named `key_name`, else after the table),
    linked to its article or not."""
    link = (
        [
            sa.ForeignKeyConstraint(
                ["article_id"], ["articles.id"], name=op.f(_FOREIGN_KEY), ondelete="CASCADE"
            )
        ]
        if linked
        else []
    )
    op.create_table(
        name,
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        *link,
        sa.PrimaryKeyConstraint("band_key", "article_id", name=op.f(key_name or f"pk_{name}")),
        sqlite_with_rowid=False,
    )


def _rebuild_story_bands(*, linked: bool, source: str) -> None:
    """SQLite: recreate `story_bands` (linked or not) with the bands of `source`."""
    _band_table("story_bands_new", linked=linked, key_name="pk_story_bands")
    op.execute(
        "INSERT INTO story_bands_new (band_key, article_id) "
        f"SELECT band_key, article_id FROM {source} ORDER BY band_key, article_id"
    )
    op.drop_table("story_bands")
    op.rename_table("story_bands_new", "story_bands")


def upgrade() -> None:
    op.drop_index(op.f(_ARTICLE_INDEX), table_name="story_bands")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_story_bands(linked=False, source="story_bands")
    else:
        op.drop_constraint(op.f(_FOREIGN_KEY), "story_bands", type_="foreignkey")
    _band_table("story_bands_recent", linked=False)


def downgrade() -> None:
    # Bands whose article is gone (deleted other than by the archive) have nothing to link to.
    for table in ("story_bands", "story_bands_recent"):
        op.execute(f"DELETE FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_story_bands(
            linked=True,
            source="(SELECT * FROM story_bands UNION ALL SELECT * FROM story_bands_recent)",
        )
    else:
        op.execute("INSERT INTO story_bands SELECT band_key, article_id FROM story_bands_recent")
        op.create_foreign_key(
            op.f(_FOREIGN_KEY),
            "story_bands",
            "articles",
            ["article_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.drop_table("story_bands_recent")
    op.create_index(op.f(_ARTICLE_INDEX), "story_bands", ["article_id"])
