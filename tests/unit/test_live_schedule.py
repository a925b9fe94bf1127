"""Live updates scheduled from a database thread reach the loop and finish, even through garbage collection.

Why: the event loop keeps only weak references to its tasks. A publish scheduled after a commit with nothing holding
its task was collected while it awaited Redis ("Task was destroyed but it is pending!"), and an inbox on the other
worker never heard of the change (tests/e2e/test_cluster.py failed once in CI that way).
"""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref

from onestop.ui import live


def test_a_change_scheduled_from_another_thread_runs_to_its_end_despite_gc(monkeypatch) -> None:  # noqa: ANN001
    finished: list[int] = []
    waits: list[weakref.ref] = []  # weak, as nothing but the task refers to what a Redis call awaits

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(live, "_loop", loop)

        def publish(i: int):  # noqa: ANN202 - a coroutine factory, as live._on_change passes
            async def run() -> None:
                answer = loop.create_future()
                waits.append(weakref.ref(answer))
                await answer
                finished.append(i)

            return run

        threads = [threading.Thread(target=live._schedule, args=(publish(i),)) for i in range(20)]  # noqa: SLF001
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for _ in range(3):
            await asyncio.sleep(0)
        gc.collect()
        for ref in waits:
            answer = ref()
            if answer is not None:  # collected with its task: that change would never be delivered
                answer.set_result(None)
        for _ in range(10):
            await asyncio.sleep(0)

    asyncio.run(scenario())
    assert len(waits) == 20 and sorted(finished) == list(range(20))
    assert not live._running  # noqa: SLF001 - each task let go of once done
