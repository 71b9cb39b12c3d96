#!/usr/bin/env python3
"""The agent benchmark's driver (bench/agents.sh): N workflows of ACTIONS no-op actions at once on a running
`dwf serve`, either each on its own agent (pull: the task's worker is agent-NN) or on the server's Docker endpoint
(push: worker local). Prints the wall time and, for the pull path, from the agents' logs, the time from a final
report taken to the next action handed out (median, p95) over every action after the first of each workflow.

  agents.py run URL N ACTIONS pull|push [AGENT_LOG_DIR]
"""
import datetime
import glob
import json
import re
import statistics
import sys
import time
import urllib.request
import uuid

FINAL = {"SUCCESS", "FAILED", "TIMEOUT", "CANCELLED"}


def request(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"null")


def template(worker, actions):
    lines = ['version: "0.1"', "name: agent-bench", "global_timeout: 600", "tasks:", "  - name: t", f'    worker: "{worker}"', "    actions:"]
    for i in range(actions):
        lines += [f"      - name: a{i}", "        image: dwf-busybox:latest", "        timeout: 60", '        command: ["true"]']
    return "\n".join(lines) + "\n"


def stamp(text):
    return datetime.datetime.strptime(text, "%H:%M:%S.%f")


def handoffs(log_dir):
    """Final report taken -> next action handed out, per agent log, in seconds."""
    gaps = []
    for path in glob.glob(f"{log_dir}/*.log"):
        taken = None
        for line in open(path):
            m = re.search(r"\) (SUCCESS|FAILED|TIMEOUT) taken at (\S+)", line, re.IGNORECASE)
            if m:
                taken = stamp(m.group(2))
                continue
            m = re.search(r"handed out at (\S+)", line)
            if m and taken is not None:
                gaps.append((stamp(m.group(1)) - taken).total_seconds())
                taken = None
    return gaps


def main():
    _, cmd, base, n, actions, path = sys.argv[:6]
    n, actions = int(n), int(actions)
    ids = [f"bench-{path}-{uuid.uuid4().hex[:8]}" for _ in range(n)]
    start = time.monotonic()
    for i, wid in enumerate(ids):
        worker = f"agent-{i + 1:02d}" if path == "pull" else "local"
        request("POST", f"{base}/api/workflows", {"template": template(worker, actions), "id": wid})
    pending = set(ids)
    states = {}
    while pending and time.monotonic() - start < 600:
        for wid in list(pending):
            status = request("GET", f"{base}/api/workflows/{wid}")
            if status.get("state") in FINAL and status.get("runtimeStatus") != "Running":
                states[wid] = status["state"]
                pending.discard(wid)
        time.sleep(0.05)
    wall = time.monotonic() - start
    ok = sum(1 for s in states.values() if s == "SUCCESS")
    print(f"{path}: {ok}/{n} SUCCESS in {wall:.2f} s, {wall * 1000 / (n * actions):.0f} ms of wall per action ({n} workflows x {actions} actions at once)")
    if path == "pull" and len(sys.argv) > 6:
        gaps = sorted(handoffs(sys.argv[6]))
        if gaps:
            p95 = gaps[min(len(gaps) - 1, int(round(0.95 * (len(gaps) - 1))))]
            print(f"pull: report taken -> next action handed out: median {statistics.median(gaps) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {gaps[-1] * 1000:.0f} ms over {len(gaps)} hand-offs")
    if pending or ok != n:
        sys.exit(1)


if __name__ == "__main__":
    main()
