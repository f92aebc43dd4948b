"""kubedojo: app."""
