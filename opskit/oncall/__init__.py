"""On-call engine: rotations rendered to shifts, and what they say about coverage.

Times inside the engine are integer seconds since the Unix epoch (UTC); local
"wall" times are the same kind of integer counted on a time zone's clock. Whole
years of many rotations render in a fraction of a second that way.
"""
