/**
 * Sleeps this thread for a fraction of a millisecond, without spinning. Node's timers work in
 * whole milliseconds of a clock cached per loop turn, so a replay wakes about a millisecond
 * before a due time; polling the clock for that last millisecond kept a core busy (65 % of one at
 * 300 msg/s), CPU the broker and the subscribers on the same machine needed. Atomics.wait on a
 * cell nobody notifies is a kernel sleep with a timeout (a futex on Linux), accurate to tens of
 * microseconds. It blocks the event loop, so a caller sleeps at most once per loop turn and only
 * for about a millisecond: I/O waits no longer than that.
 */
const cell = new Int32Array(new SharedArrayBuffer(4))

export function sleepPrecisely(ms: number): void {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms)
}
