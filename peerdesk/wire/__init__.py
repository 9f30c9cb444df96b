"""What a laptop and the agency both speak: the shapes and rules on the wire
between them (agency URL rules, the provisioning file's format, the review API's
shapes). Imports crypto, domain and errors only, never desktop or agency code."""
