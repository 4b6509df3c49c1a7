"""Training plan optimiser (pure Python + OR-Tools CP-SAT, no Django imports).

Usage::

    from sdmkesos.trainplan import load_instance, solve, greedy, plan_to_json, prepare
    instance = load_instance("instance.json")
    plan = solve(instance, time_limit=60)

See docs/training-plan.md.
"""

from sdmkesos.trainplan.generate import example_instance
from sdmkesos.trainplan.greedy import greedy
from sdmkesos.trainplan.model import (
    Gap,
    Instance,
    InstanceError,
    Period,
    Person,
    Programme,
    Rule,
    Trainer,
    Travel,
    Venue,
    dump_instance,
    instance_to_json,
    load_instance,
    parse_instance,
)
from sdmkesos.trainplan.plan import Batch, Plan, check, plan_to_json
from sdmkesos.trainplan.prepare import prepare
from sdmkesos.trainplan.solve import solve

__all__ = [
    "Batch", "Gap", "Instance", "InstanceError", "Period", "Person", "Plan", "Programme", "Rule",
    "Trainer", "Travel", "Venue", "check", "dump_instance", "example_instance", "greedy",
    "instance_to_json", "load_instance", "parse_instance", "plan_to_json", "prepare", "solve",
]
