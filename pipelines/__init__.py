import time

# When this process first imported the project: its code in memory is what was on disk from then on. A source file
# changed after this (a deploy during a run) may differ from the code running; defs/versions.py then stamps this
# process's cached results with a version no later process matches.
STARTED = time.time()
