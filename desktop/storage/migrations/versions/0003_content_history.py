"""Content history of merge units, the baseline of merging (schema 3).

Frozen: never import the models here; later changes are new revisions. Files of earlier
schemas get an empty history: their first merge shows every differing unit as changed on
both sides, for the clerk to decide (storage/history.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_uuid", sa.String(length=36), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_history")),
        sa.UniqueConstraint(
            "unit_uuid", "content_hash", name=op.f("uq_content_history_unit_uuid")
        ),
    )


def downgrade() -> None:
    op.drop_table("content_history")
