"""Main-window screens of the Qt front end (trips, participants, ...)."""
