"""Where users reach the pipeline: the Python facade (Pack), the command line, rendering, generated docs.

May import every stage; no stage imports it.
"""
