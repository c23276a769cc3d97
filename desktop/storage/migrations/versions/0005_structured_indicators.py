"""Structured indicators (schema 5): each indicator's 指标性质, 计算符号, 数值, 计量单位,
指标方向 and 分值 beside its 指标值 text (models/indicator_fields.py), filled from the text.

Columns added to ``indicator`` only (SQLite's ADD COLUMN: no table is rebuilt, no row
removed or renumbered). The four fields read from the text are filled by the program's
value reader (``indicator_fields.read_structured``): a text it cannot read as one value
leaves them empty, for the clerk and the review (rule values.structured). 方向 and 分值 stay
empty: their defaults (by the sign; the 一级指标's share) are computed, not stored.

Decision: this migration imports the reader, not the ORM models (which stay out of
migrations, frozen). Why: the fields must be exactly what editing the text gives, or a
migrated file and a re-typed one would differ. A later reader that reads some text
differently must come with a migration that reads the texts again, as this one does.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:30:00
"""

import sqlalchemy as sa
from alembic import op

from desktop.models.indicator_fields import read_structured

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: (name, type, nullable): texts are NOT NULL with "" as their empty value, as the models.
_COLUMNS = (
    ("indicator_nature", sa.String(length=2), False),
    ("comparison", sa.String(length=1), False),
    ("target_number", sa.Text(), True),
    ("unit_of_measure", sa.String(length=8), False),
    ("direction", sa.String(length=2), False),
    ("weight", sa.Text(), True),
)


def upgrade() -> None:
    for name, kind, nullable in _COLUMNS:
        op.add_column(
            "indicator",
            sa.Column(name, kind, nullable=nullable, server_default=None if nullable else ""),
        )
    indicator = sa.table(
        "indicator",
        sa.column("id", sa.Integer()),
        sa.column("target_value", sa.Text()),
        sa.column("indicator_nature", sa.Text()),
        sa.column("comparison", sa.Text()),
        sa.column("target_number", sa.Text()),
        sa.column("unit_of_measure", sa.Text()),
    )
    connection = op.get_bind()
    filled = []
    for row_id, text in connection.execute(sa.select(indicator.c.id, indicator.c.target_value)):
        value = read_structured(text or "")
        if value.indicator_nature:
            filled.append(
                {
                    "row_id": row_id,
                    "nature": value.indicator_nature,
                    "sign": value.comparison,
                    "number": None if value.target_number is None else str(value.target_number),
                    "unit": value.unit_of_measure,
                }
            )
    if filled:
        connection.execute(
            indicator.update()
            .where(indicator.c.id == sa.bindparam("row_id"))
            .values(
                indicator_nature=sa.bindparam("nature"),
                comparison=sa.bindparam("sign"),
                target_number=sa.bindparam("number"),
                unit_of_measure=sa.bindparam("unit"),
            ),
            filled,
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        for name, _, _ in reversed(_COLUMNS):
            batch.drop_column(name)
