"""What a laptop and the agency both speak: the sync protocol, record payloads, the
review API's shapes, the provisioning file's format and the agency URL rules."""
