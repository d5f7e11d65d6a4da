"""The five workloads of bench/mo-threads/run, on mo-threads (Python).

Prints one line per workload: `name<TAB>value<TAB>unit`, as the Rust side
(`cargo run --release --example vs_mo_threads`) does, so that `run` can put
them side by side.
"""

import random
import sys
import time

from mo_threads import Queue, Signal, Thread, Till, stop_main_thread

random.seed(7)


def report(name, value, unit):
    print(f"{name}\t{value:.6f}\t{unit}", flush=True)


def spawn_join(count=200):
    started = time.perf_counter()
    for index in range(count):
        Thread.run(f"t{index}", lambda please_stop: None).join()
    report("200 threads, run + join", (time.perf_counter() - started) * 1e3, "ms")


def ping_pong(rounds=2000):
    pings = [Signal() for _ in range(rounds)]
    pongs = [Signal() for _ in range(rounds)]

    def other(please_stop):
        for index in range(rounds):
            pings[index].wait()
            pongs[index].go()

    thread = Thread.run("pong", other)
    started = time.perf_counter()
    for index in range(rounds):
        pings[index].go()
        pongs[index].wait()
    elapsed = time.perf_counter() - started
    thread.join()
    report("Signal ping-pong, 2,000 round trips", elapsed * 1e3, "ms")


def queue_1_to_1(items=200_000):
    queue = Queue("items")

    def consume(please_stop):
        for _ in range(items):
            queue.pop()

    started = time.perf_counter()
    consumer = Thread.run("consumer", consume)
    for item in range(items):
        queue.add(item)
    consumer.join()
    report("Queue, 200,000 items 1 -> 1", (time.perf_counter() - started) * 1e3, "ms")


def till_lateness(count=100):
    late = []
    for _ in range(count):
        delay = random.uniform(0.001, 0.050)
        due = time.perf_counter() + delay
        Till(seconds=delay).wait()
        late.append((time.perf_counter() - due) * 1e3)
    late.sort()
    report("100 Tills at 1-50 ms, lateness p50", late[len(late) // 2], "ms")
    report("100 Tills at 1-50 ms, lateness p99", late[int(len(late) * 0.99) - 1], "ms")


def stop_join(count=100):
    threads = [Thread.run(f"blocked{index}", lambda please_stop: please_stop.wait()) for index in range(count)]
    time.sleep(0.2)  # every one is in its wait
    started = time.perf_counter()
    for thread in threads:
        thread.stop()
    for thread in threads:
        thread.join()
    report("stop and join 100 threads blocked on please_stop", (time.perf_counter() - started) * 1e3, "ms")


if __name__ == "__main__":
    spawn_join()
    ping_pong()
    queue_1_to_1()
    till_lateness()
    stop_join()
    stop_main_thread()
    sys.exit(0)
