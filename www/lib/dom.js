// Small DOM helpers shared by the page's modules. Text reaches the DOM through
// textContent (or an Option's text), never as HTML.

/** The page's element `id` (index.html). Typed loosely on purpose: which kind of element
 *  it is (input, select, table, canvas) is the page's, which the type checker cannot see.
 *  @param {string} id
 *  @returns {any} */
export const $ = (id) => document.getElementById(id);

/** An element with `text` and attributes (class, data-*, aria-*, role, or properties). */
export function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'role' || k.startsWith('data-') || k.startsWith('aria-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  return e;
}

/** Removes every child of `node`. */
export function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

/** Replaces the options of `select` by `items` ({value, text}); keeps the value when it is still there. */
/** @param {HTMLSelectElement} select @param {{value: string, text: string}[]} items @param {{none?: string}} [opts] */
export function fillSelect(select, items, { none } = {}) {
  const keep = select.value;
  clear(select);
  if (none !== undefined) select.add(new Option(none, ''));
  for (const it of items) select.add(new Option(it.text, it.value));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

/** Fills `container` with one labelled checkbox per value (ids `${name}-${i}`), `checked` ticked. */
export function checkList(container, name, values, checked = []) {
  clear(container);
  values.forEach((v, i) => {
    const id = `${name}-${i}`;
    const box = el('input', null, { type: 'checkbox', id, value: v, checked: checked.includes(v) });
    const label = el('label', null, { htmlFor: id });
    label.append(box, document.createTextNode(` ${v}`));
    container.append(label);
  });
}

/** The values of the ticked checkboxes in `container`. */
export const checkedValues = (container) => [...container.querySelectorAll('input:checked')].map((i) => i.value);

/** Numbers in a text field ("12, 36; 60"): the finite ones. */
export const numbers = (text) => String(text ?? '').split(/[,;\s]+/).filter(Boolean).map(Number).filter((x) => Number.isFinite(x));

/** A table in its scrolling box: `headers`, then `rows` (an array of cells, or {cells, class});
 *  a cell is text or {text, ci (a second line), data (data-* attributes)}; the first cell of a
 *  row is its header. Text only (textContent). */
export function dataTable(headers, rows) {
  const t = el('table', null, { class: 'data' });
  const h = t.createTHead().insertRow();
  for (const x of headers) h.append(el('th', x, { scope: 'col' }));
  const b = t.createTBody();
  for (const r of rows) {
    const tr = b.insertRow();
    if (r.class) tr.className = r.class;
    (r.cells ?? r).forEach((c, i) => {
      const cell = i === 0 ? el('th', null, { scope: 'row' }) : tr.insertCell();
      if (i === 0) tr.append(cell);
      const v = c && typeof c === 'object' ? c : { text: c };
      cell.textContent = v.text ?? '';
      if (v.ci) cell.append(el('span', v.ci, { class: 'ci' }));
      for (const [k, x] of Object.entries(v.data || {})) cell.setAttribute(`data-${k}`, x === null ? 'null' : String(x));
    });
  }
  return el('div', null, { class: 'table-wrap' }).appendChild(t).parentNode;
}
