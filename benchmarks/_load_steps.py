"""A step load for locust, loaded beside the people of benchmarks/_load_users.py (`locust -f
_load_users.py,_load_steps.py`): people are added at `--step-rate` a second up to each count of `--steps`,
held there for its seconds, then the next step; the run stops by itself after the last one. People stay
logged in from one step to the next, as in a working week."""

from __future__ import annotations

from typing import Any

from locust import LoadTestShape, events


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument(
        "--steps", default="25:20,50:20,100:20,200:20,350:20,500:60", help="USERS:SECONDS,… held in turn"
    )
    parser.add_argument("--step-rate", type=float, default=5.0, help="people added a second between steps")


class StepLoad(LoadTestShape):
    def tick(self) -> tuple[int, float] | None:
        options = self.runner.environment.parsed_options if self.runner else None
        if options is None:
            return None
        elapsed, ends, before = self.get_run_time(), 0.0, 0
        for step in options.steps.split(","):
            users, hold = (int(part) for part in step.split(":"))
            ends += (users - before) / options.step_rate + hold
            if elapsed < ends:
                return users, options.step_rate
            before = users
        return None
