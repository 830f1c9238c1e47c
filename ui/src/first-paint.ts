// A timing mark for the figures bench (benches/app_figures.rs): when the first real view (the
// account state, or the error) has been rendered, wait for the frame that paints it and record
// the time on <html>. Times only, nothing else.

/** Sets `data-first-paint` (ms since the Unix epoch, `performance.timeOrigin` + `now()`) and
 * `data-first-paint-since-start` (ms since navigation start) on the document element, after the
 * next frame has been painted. */
export function markFirstPaint(): void {
  requestAnimationFrame(() => {
    // rAF callbacks run before the frame is painted; a task queued from one runs after it.
    setTimeout(() => {
      const sinceStart = performance.now();
      const root = document.documentElement;
      root.dataset.firstPaint = String(performance.timeOrigin + sinceStart);
      root.dataset.firstPaintSinceStart = String(sinceStart);
    }, 0);
  });
}
