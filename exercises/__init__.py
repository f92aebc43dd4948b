"""kubedojo: exercises."""
