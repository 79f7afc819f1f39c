"""Time, the lowest layer: zones, intervals, calendars with holidays, business time.

Policy checks, the on-call engine and SLA clocks all do their calendar arithmetic
here; this package imports nothing else of opskit's but the disk cache.
"""
