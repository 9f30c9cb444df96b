"""The agency server: FastAPI app, SQLAlchemy Core storage, Alembic migrations, admin CLI."""
