"""Alembic environment of the collection's own tables (storage/collection.py): always run
on the connection handed over by desktop.storage.migrate, with their own version table."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through desktop.storage.migrate")

context.configure(connection=connection, version_table="collection_version")
with context.begin_transaction():
    context.run_migrations()
