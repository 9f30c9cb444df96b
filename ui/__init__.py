"""The Qt front end. Thin: calls the peerdesk service API, never SQL or crypto."""
