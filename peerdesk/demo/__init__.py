"""Made-up data for ``make run``, the screenshots, the tests and the benchmarks.

Nothing in the product imports this package (an import-linter contract checks
it); the one exception is the desktop's ``--demo`` flag (``ui.app`` uses
:mod:`peerdesk.demo.profiles`). Every person, place and story here is invented,
and every passphrase here is public: never put real notes into a demo profile
or a demo agency.

- :mod:`peerdesk.demo.profiles`: the demo peer and supervisor profiles (``make run``)
- :mod:`peerdesk.demo.agency`: the demo agency child process
  (``python -m peerdesk.demo.agency --dir DIR --port 0``)
- :mod:`peerdesk.demo.review`: a supervisor's review cache filled without an agency
- :mod:`peerdesk.demo.samples`: generated note and trip payloads
- :mod:`peerdesk.demo.dictionary`: trains the shipped zstd dictionary on those samples
  (``python -m peerdesk.demo.dictionary OUT.zdict``)
"""
