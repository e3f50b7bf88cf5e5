"""The built-in SAMPLE province (Đắk Nông): invented units and people for demos and tests, clearly marked."""
