/** Reading never holds the event loop longer than this at a time. */
export const SLICE_MS = 8;
const EMPTY = { data: '' };

/**
 * Hands frames to `handle` in slices of a few milliseconds, yielding in between: when the socket
 * delivers megabytes at once (a backlog after a pause, a flood), the event loop still answers the
 * dashboard and /healthz meanwhile. Order is kept; what `handle` throws goes to `onError`.
 */
export function slicedReader(handle: (frame: { data: unknown }) => void, onError: (err: unknown) => void): (frame: { data: unknown }) => void {
  const frames: Array<{ data: unknown }> = [];
  let next = 0;
  const drain = () => {
    const until = performance.now() + SLICE_MS;
    while (next < frames.length && performance.now() < until) {
      const frame = frames[next]!;
      frames[next++] = EMPTY;
      try {
        handle(frame);
      } catch (err) {
        onError(err);
      }
    }
    if (next < frames.length) return void setImmediate(drain);
    frames.length = 0;
    next = 0;
  };
  return (frame) => {
    frames.push(frame);
    if (frames.length - next === 1) setImmediate(drain);
  };
}
