"""Entry script of the PyInstaller bundle: ``ui.app.main`` as a module, so the
app's modules are imported once under their own names."""

from ui.app import main

raise SystemExit(main())
