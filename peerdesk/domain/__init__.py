"""Plain dataclasses and pure rules (note states, billing units, mileage)."""
