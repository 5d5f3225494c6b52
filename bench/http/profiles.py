#!/usr/bin/env python3
"""profiles.py WORKLOADS > profiles.json: a profiles file (the exporter's format, version 1) with
WORKLOADS Deployments of 2 containers, each having used 6 capabilities through 8 syscalls and 4
commands: with 1,000 workloads, /api/v1/profiles is about 6.5 MB, as the issue measured."""
import json
import sys

CAPS = ["CHOWN", "DAC_OVERRIDE", "NET_BIND_SERVICE", "SETUID", "SETGID", "SYS_ADMIN"]
SYSCALLS = ["chown", "fchown", "openat", "bind", "setuid", "setgid", "mount", "unshare"]
T = "2026-11-26T12:00:00Z"


def container(w, c):
    return {
        "name": "container-%d" % c,
        "image": "registry.example.com/team-%d/app-%d:1.%d.0" % (w % 50, w, c),
        "granted": {"add": ["NET_BIND_SERVICE"], "privileged": False},
        "firstSeen": T, "lastSeen": T,
        "capabilities": [{
            "capability": cap, "allowed": 1000 + w, "denied": w % 3, "audited": True,
            "firstSeen": T, "lastSeen": T,
            "syscalls": SYSCALLS,
            "comms": ["worker-%d" % i for i in range(4)],
        } for cap in CAPS],
    }


workloads = [{
    "namespace": "team-%d" % (w % 50), "kind": "Deployment", "name": "app-%d" % w,
    "firstSeen": T, "lastSeen": T,
    "containers": [container(w, c) for c in range(2)],
} for w in range(int(sys.argv[1]))]
json.dump({"version": 1, "workloads": workloads}, sys.stdout)
