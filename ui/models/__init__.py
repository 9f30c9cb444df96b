"""Qt item models of the front end: thin, read-only, testable without a window."""
