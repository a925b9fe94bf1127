"""Pages of the service-quality dashboard (leaders, administrators) and the public summary."""
