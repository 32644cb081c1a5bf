"""Locust users for bench/load.py: each user takes a logged-in session, then requests one page or endpoint.

Sessions (made by bench/load.py as the login form and the TOTP step would) and object ids come from the
JSON file named by LOAD_PLAN, so this file needs no Django.
"""

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
SCENARIO = os.environ["LOAD_SCENARIO"]
THINK_SECONDS = float(os.environ.get("LOAD_THINK_SECONDS", "0"))


class PlatformUser(HttpUser):
    # 0: every user fires its next request at once (saturation); 1: a person reading for about a second.
    wait_time = between(THINK_SECONDS * 0.5, THINK_SECONDS * 1.5)

    def on_start(self) -> None:
        self.account = random.choice(PLAN["accounts"][SCENARIO])
        if SCENARIO == "annotation_api":
            self.client.headers["Authorization"] = f"Token {self.account['token']}"
            return
        self.client.cookies.set("sessionid", self.account["session"])

    @task
    def measured(self) -> None:
        url = self.account["url"]
        with self.client.get(url, name=SCENARIO, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
