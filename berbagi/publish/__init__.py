"""The publisher: compose (texts), plan and ledger (what is due, what was posted), send (networks).

It runs from `invoke announce` and `invoke remind`, never from a build signal.
"""
