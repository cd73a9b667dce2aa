"""casework: one function per thing a person does with hesket, from triage to review.

The use-case layer between the command line and the core. Each function
takes plain values and an explicit moment (`Moment`: now and today), calls
the engine and the store in the right order, and returns a frozen result
for the command line to show. It owns sequencing and nothing else: every
rule of the policy is the engine's, every file write the store's, every
word on screen the views'. No Typer, no Rich, no printing here.
"""
