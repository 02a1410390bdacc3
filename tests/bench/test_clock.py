"""The bench's clock: wall and processor time of a block."""

import hashlib
import time

from pipelines.bench.clock import Clock


def test_waiting_costs_wall_time_but_no_processor_time():
    with Clock() as clock:
        time.sleep(0.3)
    assert clock.seconds >= 0.3
    assert clock.cpu_seconds < 0.15  # sleeping is not work


def test_work_costs_processor_time():
    clock = Clock().start()
    digest = b""
    for _ in range(20_000):
        digest = hashlib.sha256(digest + b"x" * 4096).digest()
    clock.stop()
    assert clock.cpu_seconds > 0
    assert clock.times() == {"seconds": clock.seconds, "cpu_seconds": clock.cpu_seconds}
