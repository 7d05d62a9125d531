"""leases: the items workers are working on; sources: when the scheduler polls them next

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("stage", sa.String(16), primary_key=True),
        sa.Column("item", sa.String(64), primary_key=True),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("next_poll_at", sa.DateTime()))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("next_poll_at")
    op.drop_table("leases")
