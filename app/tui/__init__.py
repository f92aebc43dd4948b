"""The Textual app: a study session in the terminal."""
