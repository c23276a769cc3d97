"""Who holds the edit lock of a unit in a collection database (c002).

The lock itself is PostgreSQL's (a session advisory lock per unit, see
desktop/storage/collection.py); this table only names its holder for the others.
Frozen: never import the models here; later changes are new revisions.

Revision ID: c002
Revises: c001
Create Date: 2026-12-05 03:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c002"
down_revision = "c001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edit_holder",
        sa.Column("declaration_uuid", sa.String(length=36), nullable=False),
        sa.Column("backend_pid", sa.Integer(), nullable=False),
        sa.Column("computer", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("database_user", sa.Text(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("declaration_uuid", name="pk_edit_holder"),
    )


def downgrade() -> None:
    op.drop_table("edit_holder")
