"""Support-team screens: visits and assisted filing."""
