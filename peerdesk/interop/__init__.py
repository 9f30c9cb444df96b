"""File formats others use: :mod:`peerdesk.interop.hsds` (Open Referral's Human
Services Data Specification, the resource directory as JSON and CSV). Reads and
writes the domain model; imports only :mod:`peerdesk.domain` and
:mod:`peerdesk.errors`."""
