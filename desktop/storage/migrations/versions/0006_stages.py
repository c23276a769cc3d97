"""The year's stages (schema 6): a declaration's 阶段 and 截至 month, a budget project's
执行数 and 全年预算数, an indicator's 上年实际, monitoring and self-evaluation fields, and the
目标调整 records (models/stages.py).

Columns added to ``declaration``, ``budget_project`` and ``indicator`` (SQLite's ADD
COLUMN: no table is rebuilt, no row removed or renumbered), all at their empty value (a
declaration at 申报), and one new table ``target_adjustment``. Frozen: never import the
models here; later changes are new revisions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TEXT, _NUMBER = sa.Text(), sa.Text()  # amounts are stored as decimal text (ExactDecimal)
#: table -> (name, type, nullable): texts are NOT NULL with "" as their empty value.
_COLUMNS = {
    "declaration": (
        ("stage", sa.String(length=2), False),
        ("monitoring_month", sa.Integer(), True),
    ),
    "budget_project": (
        ("executed_to_date", _NUMBER, True),
        ("annual_budget", _NUMBER, True),
        ("annual_executed", _NUMBER, True),
        ("overall_outcome", _TEXT, False),
    ),
    "indicator": (
        ("previous_actual", _TEXT, False),
        ("current_value", _TEXT, False),
        ("expected_value", _TEXT, False),
        ("completion_likelihood", sa.String(length=5), False),
        ("deviation_cause", sa.String(length=6), False),
        ("improvement_measures", _TEXT, False),
        ("actual_value", _TEXT, False),
        ("achievement_grade", sa.String(length=4), False),
        ("score", _NUMBER, True),
        ("deviation_analysis", _TEXT, False),
    ),
}


def upgrade() -> None:
    for table, columns in _COLUMNS.items():
        for name, kind, nullable in columns:
            empty = None if nullable else ("申报" if name == "stage" else "")
            op.add_column(table, sa.Column(name, kind, nullable=nullable, server_default=empty))
    op.create_table(
        "target_adjustment",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("row_uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("new_text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("adjusted_on", sa.String(length=10), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_target_adjustment_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_adjustment")),
        sa.UniqueConstraint("uuid", name=op.f("uq_target_adjustment_uuid")),
    )
    with op.batch_alter_table("target_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_target_adjustment_declaration_id"), ["declaration_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("target_adjustment")
    for table, columns in reversed(_COLUMNS.items()):
        with op.batch_alter_table(table) as batch:
            for name, _, _ in reversed(columns):
                batch.drop_column(name)
