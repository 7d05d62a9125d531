"""translations: the tokens each cost, the engine's model and its confidence per sentence;
engine_spend: what each engine was sent per day, for the daily limits

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("translations") as batch:
        batch.add_column(sa.Column("tokens_in", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("tokens_out", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("model", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("scores", sa.Text(), nullable=False, server_default="[]"))
    op.create_table(
        "engine_spend",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("engine", sa.String(100), primary_key=True),
        sa.Column("requests", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("chars", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("tokens", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("engine_spend")
    with op.batch_alter_table("translations") as batch:
        for name in ("scores", "model", "tokens_out", "tokens_in"):
            batch.drop_column(name)
