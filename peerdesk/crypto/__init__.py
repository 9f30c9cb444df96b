"""Key derivation, the key vault, field envelopes (and later, sealing to the agency)."""
