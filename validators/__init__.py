"""Models and rules of the initiative campaign: what a valid unit report is, and every issue it can have."""
