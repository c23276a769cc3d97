"""Initial schema: the declaration, Part 1 rows, the budget project tables, review
explanations and print records (schema 1).

Frozen: never import the models here; later changes are new revisions.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 12:07:29.177348
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declaration",
        sa.Column("unit_code", sa.String(length=40), nullable=False),
        sa.Column("unit_name", sa.Text(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("amount_unit", sa.String(length=10), nullable=False),
        sa.Column("total_budget", sa.Text(), nullable=True),
        sa.Column("special_projects_note", sa.Text(), nullable=False),
        sa.Column("overall_target", sa.Text(), nullable=False),
        sa.Column("safeguard_measures", sa.Text(), nullable=False),
        sa.Column("profile", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration")),
        sa.UniqueConstraint("uuid", name=op.f("uq_declaration_uuid")),
    )
    op.create_table(
        "budget_project",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("budget_amount", sa.Text(), nullable=True),
        sa.Column("fiscal_funds", sa.Text(), nullable=True),
        sa.Column("other_funds", sa.Text(), nullable=True),
        sa.Column("use_of_funds", sa.Text(), nullable=False),
        sa.Column("performance_target", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_budget_project_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_project")),
        sa.UniqueConstraint("uuid", name=op.f("uq_budget_project_uuid")),
    )
    with op.batch_alter_table("budget_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_project_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "finding_explanation",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("row_uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_finding_explanation_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_explanation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_finding_explanation_uuid")),
    )
    with op.batch_alter_table("finding_explanation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_explanation_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "key_task",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_key_task_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_task")),
        sa.UniqueConstraint("uuid", name=op.f("uq_key_task_uuid")),
    )
    with op.batch_alter_table("key_task", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_key_task_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "print_record",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("parts", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_print_record_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_record")),
        sa.UniqueConstraint("uuid", name=op.f("uq_print_record_uuid")),
    )
    with op.batch_alter_table("print_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_print_record_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "disbursement_checkpoint",
        sa.Column("budget_project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("cumulative_percent", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_project_id"],
            ["budget_project.id"],
            name=op.f("fk_disbursement_checkpoint_budget_project_id_budget_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disbursement_checkpoint")),
        sa.UniqueConstraint("uuid", name=op.f("uq_disbursement_checkpoint_uuid")),
    )
    with op.batch_alter_table("disbursement_checkpoint", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_disbursement_checkpoint_budget_project_id"),
            ["budget_project_id"],
            unique=False,
        )

    op.create_table(
        "indicator",
        sa.Column("budget_project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.Text(), nullable=False),
        sa.Column("level2", sa.Text(), nullable=False),
        sa.Column("level3", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("target_value", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_project_id"],
            ["budget_project.id"],
            name=op.f("fk_indicator_budget_project_id_budget_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("uuid", name=op.f("uq_indicator_uuid")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_budget_project_id"), ["budget_project_id"], unique=False
        )

    op.create_table(
        "item_target",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("budget", sa.Text(), nullable=True),
        sa.Column("budget_project_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_project_id"],
            ["budget_project.id"],
            name=op.f("fk_item_target_budget_project_id_budget_project"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_item_target_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_target")),
        sa.UniqueConstraint("uuid", name=op.f("uq_item_target_uuid")),
    )
    with op.batch_alter_table("item_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_target_budget_project_id"), ["budget_project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_item_target_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "item_target_statement",
        sa.Column("item_target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.Text(), nullable=False),
        sa.Column("level2", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_target_id"],
            ["item_target.id"],
            name=op.f("fk_item_target_statement_item_target_id_item_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_target_statement")),
        sa.UniqueConstraint("uuid", name=op.f("uq_item_target_statement_uuid")),
    )
    with op.batch_alter_table("item_target_statement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_target_statement_item_target_id"), ["item_target_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("item_target_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_target_statement_item_target_id"))

    op.drop_table("item_target_statement")
    with op.batch_alter_table("item_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_target_declaration_id"))
        batch_op.drop_index(batch_op.f("ix_item_target_budget_project_id"))

    op.drop_table("item_target")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_budget_project_id"))

    op.drop_table("indicator")
    with op.batch_alter_table("disbursement_checkpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disbursement_checkpoint_budget_project_id"))

    op.drop_table("disbursement_checkpoint")
    with op.batch_alter_table("print_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_record_declaration_id"))

    op.drop_table("print_record")
    with op.batch_alter_table("key_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_task_declaration_id"))

    op.drop_table("key_task")
    with op.batch_alter_table("finding_explanation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_explanation_declaration_id"))

    op.drop_table("finding_explanation")
    with op.batch_alter_table("budget_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_project_declaration_id"))

    op.drop_table("budget_project")
    op.drop_table("declaration")
