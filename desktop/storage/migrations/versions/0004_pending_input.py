"""Input the clerk typed that was refused, kept until corrected (schema 4).

A new table only: no table of earlier schemas is rebuilt, no row of the declaration can
be touched by this migration. Frozen: never import the models here; later changes are new
revisions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("row_table", sa.String(length=40), nullable=False),
        sa.Column("row_uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("typed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_pending_input_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_input")),
        sa.UniqueConstraint("row_uuid", "field", name=op.f("uq_pending_input_row_uuid")),
    )
    op.create_index(
        op.f("ix_pending_input_declaration_id"), "pending_input", ["declaration_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("pending_input")
