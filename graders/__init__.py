"""kubedojo: graders."""
