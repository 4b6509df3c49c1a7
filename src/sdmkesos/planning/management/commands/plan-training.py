"""`sdmkesos plan-training`: the command of plan_training.py under its hyphenated name (Django
loads command modules by name with importlib, which accepts the hyphen)."""

from sdmkesos.planning.management.commands.plan_training import Command

__all__ = ["Command"]
