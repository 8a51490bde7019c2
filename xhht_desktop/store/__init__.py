"""SQLAlchemy models, engine, migrations, repositories and backups."""
