"""Pages every signed-in person has, whatever their role (their own account)."""
