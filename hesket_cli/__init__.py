"""hesket: a school's policy on parental use of social networking, as a tool.

The package turns the policy (kept as data in `policy.toml`) into decisions a
school office can act on, and keeps each case's history safely on this machine.
"""

__version__ = "0.1.0"
