"""the story of each PostgreSQL search document, for `collapse=story`

Only on PostgreSQL (Whoosh stores the story in its own index). Documents
already indexed take their article's story (`coalesce(story_id, id)`), or
their own id when the article is gone.

Revision ID: 0004_search_document_stories
Revises: 0003_stories
Create Date: 2026-11-26
"""

from alembic import op

revision = "0004_search_document_stories"
down_revision = "0003_stories"
branch_labels = None
depends_on = None


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgres():
        return
    op.execute("ALTER TABLE search_documents ADD COLUMN story bigint")
    op.execute(
        "UPDATE search_documents AS d SET story = coalesce("
        "(SELECT coalesce(a.story_id, a.id) FROM articles AS a WHERE a.id = d.id), d.id)"
    )
    op.execute("ALTER TABLE search_documents ALTER COLUMN story SET NOT NULL")


def downgrade() -> None:
    if not _is_postgres():
        return
    op.execute("ALTER TABLE search_documents DROP COLUMN story")
