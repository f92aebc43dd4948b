"""Evaluators: what a field of a Kubernetes object means, computed once, as small pure functions."""
