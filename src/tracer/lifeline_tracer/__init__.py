# SPDX-License-Identifier: MIT
"""Lifeline's tracer: runs a Python program and records its async resources' lifecycles.

Standard library only. `lifeline trace` runs `lifeline_trace.py` beside this package; the file
format it writes is docs/trace-format.md, the meaning of every event docs/events.md.
"""

VERSION = "1"
