"""Administrator screens: overview, procedures, centers, users, calendar."""
