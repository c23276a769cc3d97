"""The edit lock: at most one row naming the program that is editing the file (schema 2).

The row is written by the first edit of a session (in the same transaction) and removed
when that program closes the file; see desktop/storage/lock.py. No table of schema 1 is
rebuilt, so no row of the declaration can be touched by this migration.

Frozen: never import the models here; later changes are new revisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edit_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("computer", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_edit_lock_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edit_lock")),
    )


def downgrade() -> None:
    op.drop_table("edit_lock")
