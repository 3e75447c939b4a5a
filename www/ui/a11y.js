// Keyboard and screen-reader details of the page (issue 16):
//   - file buttons ("Choose a file…", "Load protocol…"): a label styled as a button for a
//     visually hidden <input type=file>; the input takes the focus (style.css rings its
//     label) and Enter or Space opens the file chooser, as on any button;
//   - tables scroll sideways inside their cards (.table-wrap): a wrapper that scrolls is a
//     labelled region (its card's heading) that the keyboard can reach (tabindex 0) to
//     scroll it with the arrow keys; one that fits is left out of the tab order. A figure
//     too wide for a phone (.figure-scroll, the forest plot) likewise, named by its canvas.
//   - a figure's table (its text alternative, named by the canvas's aria-details): a
//     button [data-focus=ID] next to the figure moves the focus to it (issue 25).
// Applies to what is in the page now and to what the modules add later.

let regionIds = 0;

/** Enter on a focused file input opens its chooser, as on any button. Space needs no
 *  help: the browser opens a focused file input on Space itself, and a second, scripted
 *  opening on the same key press raced with it (the chooser sometimes did not open). */
function fileKeys(e) {
  const t = e.target;
  if (!(t instanceof HTMLInputElement) || t.type !== 'file') return;
  if (e.key !== 'Enter') return;
  e.preventDefault();
  t.click();
}

/** The heading that names a table wrapper: its card's first heading or summary. */
function headingOf(wrap) {
  const caption = wrap.querySelector('caption');
  if (caption) return caption;
  const card = wrap.closest('.card, details, section');
  return card?.querySelector('h3, h4, summary, h2') ?? null;
}

function labelRegion(wrap) {
  if (!wrap.hasAttribute('role')) wrap.setAttribute('role', 'region');
  if (!wrap.hasAttribute('aria-labelledby') && !wrap.hasAttribute('aria-label')) {
    const figure = wrap.querySelector('canvas[id]');
    const h = figure ?? headingOf(wrap);
    if (h) {
      if (!h.id) h.id = `table-heading-${++regionIds}`;
      wrap.setAttribute('aria-labelledby', h.id);
    } else wrap.setAttribute('aria-label', 'Table');
  }
}

/** Whether the wrapper scrolls sideways (a layout read). */
const scrollsNow = (wrap) => wrap.scrollWidth > wrap.clientWidth + 1;

/** tabindex 0 while the wrapper scrolls, none when it fits (writes only). */
function applyFocusable(wrap, scrolls) {
  if (scrolls && wrap.tabIndex !== 0) wrap.tabIndex = 0;
  else if (!scrolls && wrap.hasAttribute('tabindex') && document.activeElement !== wrap) wrap.removeAttribute('tabindex');
}

/** A click on [data-focus=ID] takes the focus to that element (a figure's table). */
function focusTarget(e) {
  const button = e.target instanceof Element ? e.target.closest('[data-focus]') : null;
  const target = button && document.getElementById(button.getAttribute('data-focus') ?? '');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.scrollIntoView({ block: 'nearest' });
  target.focus();
}

export function initA11y(root = document) {
  root.addEventListener('keydown', fileKeys, true);
  root.addEventListener('click', focusTarget);
  const sizes = new ResizeObserver((entries) => {
    // A table's entry stands for its wrapper; every read, then every write: one layout.
    const wraps = [...new Set(entries.map((e) => e.target.closest('.table-wrap, .figure-scroll')).filter(Boolean))];
    const scrolls = wraps.map(scrollsNow);
    wraps.forEach((w, i) => applyFocusable(w, scrolls[i]));
  });
  const seen = new WeakSet();
  const adopt = (wrap) => {
    labelRegion(wrap);
    if (!seen.has(wrap)) {
      seen.add(wrap);
      sizes.observe(wrap);
    }
    const table = wrap.querySelector('table'); // new rows or columns change the scroll width, not the box
    if (table && !seen.has(table)) { seen.add(table); sizes.observe(table); }
  };
  const scan = () => {
    const wraps = [...document.querySelectorAll('.table-wrap, .figure-scroll')];
    for (const w of wraps) adopt(w);
    const scrolls = wraps.map(scrollsNow); // reads after the writes of adopt, before those below
    wraps.forEach((w, i) => applyFocusable(w, scrolls[i]));
  };
  scan();
  let pending = 0;
  new MutationObserver(() => {
    if (pending) return;
    pending = requestAnimationFrame(() => { pending = 0; scan(); });
  }).observe(document.body, { childList: true, subtree: true });
}
