"""articles, people and entity mentions

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("section", sa.String(length=120), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=True),
        sa.Column("agency_name", sa.String(length=200), nullable=True),
        sa.Column("dateline_place", sa.String(length=200), nullable=True),
        sa.Column("dateline_country", sa.String(length=200), nullable=True),
        sa.Column("dateline_country_code", sa.String(length=8), nullable=True),
        sa.Column("dateline_lat", sa.Float(), nullable=True),
        sa.Column("dateline_lon", sa.Float(), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("editors", sa.JSON(), nullable=False),
        sa.Column("translator_name", sa.String(length=200), nullable=True),
        sa.Column("translator_from_language", sa.String(length=16), nullable=True),
        sa.Column("subheadings", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("raw_format", sa.String(length=8), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("needs_indexing", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_articles_content_hash")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_articles_needs_indexing"), ["needs_indexing"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_key"), ["key"], unique=False)

    op.create_table(
        "article_entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_entities_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_entities")),
    )
    with op.batch_alter_table("article_entities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_entities_article_id"), ["article_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_article_entities_key"), ["key"], unique=False)

    op.create_table(
        "article_people",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("spellings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_people_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_article_people_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "person_id", name=op.f("pk_article_people")),
    )
    with op.batch_alter_table("article_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_people_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "person_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_aliases_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_aliases")),
        sa.UniqueConstraint("person_id", "alias", name=op.f("uq_person_aliases_person_id")),
    )
    with op.batch_alter_table("person_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_aliases_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_aliases_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("person_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_aliases_person_id"))
        batch_op.drop_index(batch_op.f("ix_person_aliases_key"))

    op.drop_table("person_aliases")
    with op.batch_alter_table("article_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_people_person_id"))

    op.drop_table("article_people")
    with op.batch_alter_table("article_entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_entities_key"))
        batch_op.drop_index(batch_op.f("ix_article_entities_article_id"))

    op.drop_table("article_entities")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_key"))

    op.drop_table("people")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_needs_indexing"))

    op.drop_table("articles")
