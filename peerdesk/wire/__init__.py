"""What a laptop and the agency both speak."""
