"""Settings & staff: the clinic profile and staff accounts (administrators), own account."""
