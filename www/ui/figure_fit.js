// Figures that follow their card (issue 16: "half the figure is off-screen" at 390 px).
// The core draws a figure through plotters at a width in CSS pixels, on a canvas of
// width × devicePixelRatio device pixels (survlens.js drawFigure); the page asks for the
// width of the figure's box, never more than MAX_WIDTH, and leaves the canvas's CSS size to
// style.css (width 100%, height auto: the drawing's own aspect ratio), so that no style
// attribute is written (the CSP allows style sheets only). A new width, or a new pixel ratio
// (browser zoom, a window moved to another screen), redraws: sharp on high-DPI screens.

/** The widest the page draws a figure (CSS px); style.css caps the canvas at the same. */
export const MAX_WIDTH = 900;
/** Below this the core's axis labels crowd; CSS then scales the drawing down. */
export const MIN_WIDTH = 260;

/** The width (CSS px) to draw a figure at inside `box`: its content width, clamped. */
export function figureWidth(box) {
  const cs = getComputedStyle(box);
  const inner = box.clientWidth - (parseFloat(cs.paddingLeft) || 0) - (parseFloat(cs.paddingRight) || 0);
  return Math.round(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, inner || MAX_WIDTH)));
}

/** Calls `redraw()` (once per frame at most) when the width `figureWidth(box)` or the
 *  device pixel ratio changes from what `drawn()` reports ({width, ratio} of the last drawing). */
export function watchFigure(box, drawn, redraw) {
  let frame = 0;
  const check = () => {
    frame = 0;
    const last = drawn();
    if (!last) return;
    const ratio = globalThis.devicePixelRatio || 1;
    if (Math.abs(figureWidth(box) - last.width) >= 2 || last.ratio !== ratio) redraw();
  };
  const soon = () => { if (!frame) frame = requestAnimationFrame(check); };
  new ResizeObserver(soon).observe(box);
  // The pixel ratio changes without a resize when the page is zoomed or moved to another screen.
  const watchRatio = () => {
    const q = matchMedia(`(resolution: ${globalThis.devicePixelRatio || 1}dppx)`);
    q.addEventListener('change', () => { soon(); watchRatio(); }, { once: true });
  };
  watchRatio();
}
