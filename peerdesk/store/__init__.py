"""The encrypted local store: SQLite via sqlite-utils, one module per aggregate."""
