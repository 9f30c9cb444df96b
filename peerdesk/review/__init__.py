"""The supervisor's review: enrollment, pulling the team's records into a local
cache (decrypted here, kept as envelopes), the queue, decisions, and the demo
cache. The service API is :class:`peerdesk.review.api.ReviewAPI`, mixed into
:class:`peerdesk.service.Session`."""
