"""Device-side sync: wire protocol, outbox reader, HTTP client and the sync engine."""
