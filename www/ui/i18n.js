// The page's languages: English (the source text of the page) and Simplified Chinese.
//
// The page's modules write English; this module translates what reaches the DOM, as
// gettext does, with the English text as the key: every text node and the attributes
// title, aria-label, placeholder and alt, in the static page and in everything the
// modules add later (a MutationObserver), are looked up in the dictionary of
// ui/i18n_zh.js (exact strings, then patterns with {placeholders}) and in the
// sentences the core translated for the current results (warnings, notes, readings,
// errors: `localizeMessages` of the WebAssembly core). Text not found stays as it is
// (data: column names, group labels, values). Switching back restores the English
// originals, which are remembered per node. The CI test (tests/browser/i18n.test.mjs)
// fails on any English text left on the Chinese page, so a new string without its
// translation is caught.
//
// The language: `#lang=zh|en` in the address, else the browser's languages (zh* →
// Chinese), else English. The switch writes the hash only (nothing is stored).
// Figures: the core draws them in the chosen language (setFigureLanguage); numbers
// keep "." decimals everywhere (Intl gives the same for en and zh-CN) and exports
// (CSV, JSON, R script) are never translated.
import { ZH, ZH_PATTERNS } from './i18n_zh.js';
import { localizeMessages, setFigureLanguage } from '../survlens.js';
import { interval } from '../lib/format.js';

const ATTRS = ['title', 'aria-label', 'placeholder', 'alt'];
// Data the page shows as it is: the file preview's cells.
const SKIP = 'script, style, code, pre, textarea, [data-i18n-skip], #preview-table tbody';
const TAGS = { en: 'en', zh: 'zh-CN' };

let current = 'en';
const listeners = [];
const coreTexts = new Map(); // English sentence of the core → its translation
const reports = new Map(); // source → last results document (to translate its sentences)
const errors = new Map(); // English error message → {zh}
const textRec = new WeakMap(); // Text node → {en, shown}
const attrRec = new WeakMap(); // Element → {name: {en, shown}}

/** The current language code ('en' | 'zh'). */
export const lang = () => current;

/** The language to start with: the address's #lang=, else the browser's languages. */
export function initialLang() {
  const m = /(?:^|[#&])lang=(en|zh)\b/.exec(globalThis.location?.hash ?? '');
  if (m) return m[1];
  const prefs = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en'];
  for (const l of prefs) {
    const code = String(l).toLowerCase();
    if (code.startsWith('zh')) return 'zh';
    if (code.startsWith('en')) return 'en';
  }
  return 'en';
}

// ---------- lookup ----------
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Slots that always hold data (a column name, a file name, group labels): kept as they are,
// even when they spell a known word (a column named "months" is not 月).
const DATA_SLOTS = new Set(['name', 'file', 'by', 'strata', 'group', 'reference', 'values']);
const PATTERNS = ZH_PATTERNS.map(([en, zh]) => {
  const names = [];
  const source = en.split(/(\{[a-z_]+\})/).map((part) => {
    const m = /^\{([a-z_]+)\}$/.exec(part);
    if (!m) return escapeRe(part);
    names.push(m[1]);
    return '([\\s\\S]*?)';
  }).join('');
  return { re: new RegExp(`^${source}$`), names, zh };
});

/** A piece of text inside a pattern: translated when it is a known text (or a list
 *  of known texts, "a, b"), else data as it is. */
function piece(s) {
  const k = s.trim();
  if (!k) return s;
  let hit = lookup(k);
  if (hit === undefined && k.includes(', ')) {
    const parts = k.split(', ').map(lookup);
    if (parts.every((x) => x !== undefined)) hit = parts.join('、');
  }
  return hit === undefined ? s : s.replace(k, hit);
}

function exact(s) {
  if (Object.prototype.hasOwnProperty.call(ZH, s)) return ZH[s];
  if (coreTexts.has(s)) return coreTexts.get(s);
  return undefined;
}

// An interval of two printed numbers, "0.18 to 0.53" or "(0.18 to 0.53)": the word of
// the Chinese report, from the core's formatter (lib/format.js).
const INTERVAL = /^(\()?(-?[0-9][0-9.]*|—) to (-?[0-9][0-9.]*|—)(%)?(\))?$/;

function lookup(s) {
  const hit = exact(s);
  if (hit !== undefined) return hit;
  const iv = INTERVAL.exec(s);
  if (iv && Boolean(iv[1]) === Boolean(iv[5])) {
    const text = interval(iv[2], `${iv[3]}${iv[4] ?? ''}`, 'zh');
    return iv[1] ? `（${text}）` : text;
  }
  if (s.includes(' · ')) { // a line of several statistics
    const parts = s.split(' · ').map(lookup);
    return parts.every((x) => x !== undefined) ? parts.join(' · ') : undefined;
  }
  for (const p of PATTERNS) {
    const m = p.re.exec(s);
    if (!m) continue;
    const vals = Object.fromEntries(p.names.map((n, i) => [n, m[i + 1]]));
    return p.zh.replace(/\{([a-z_]+)\}/g, (_, n) => (DATA_SLOTS.has(n) ? vals[n] ?? '' : piece(vals[n] ?? '')));
  }
  if (s.length > 1 && s.endsWith('.')) { // a known text ending a sentence
    const h = lookup(s.slice(0, -1));
    if (h !== undefined) return `${h}。`;
  }
  return undefined;
}

/** `english` in the current language (unchanged when English or unknown). */
export function t(english) {
  if (current === 'en' || !english) return english;
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(english);
  if (!m[2]) return english;
  const hit = lookup(m[2].replace(/\s+/g, ' '));
  return hit === undefined ? english : `${m[1]}${hit}${m[3]}`;
}

// ---------- the DOM ----------
function skipped(node) {
  const e = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return !e || Boolean(e.closest(SKIP));
}

function doText(n) {
  if (skipped(n)) return;
  const rec = textRec.get(n);
  const en = rec && rec.shown === n.nodeValue ? rec.en : n.nodeValue;
  const out = t(en);
  if (out === en && !rec) return;
  textRec.set(n, { en, shown: out });
  if (n.nodeValue !== out) n.nodeValue = out;
}

function doAttrs(e) {
  if (skipped(e)) return;
  for (const name of ATTRS) {
    if (!e.hasAttribute(name)) continue;
    const recs = attrRec.get(e) ?? {};
    const value = e.getAttribute(name);
    const rec = recs[name];
    const en = rec && rec.shown === value ? rec.en : value;
    const out = t(en);
    if (out === en && !rec) continue;
    recs[name] = { en, shown: out };
    attrRec.set(e, recs);
    if (value !== out) e.setAttribute(name, out);
  }
}

function walk(root) {
  if (root.nodeType === Node.TEXT_NODE) { doText(root); return; }
  if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_NODE) return;
  if (root.nodeType === Node.ELEMENT_NODE) doAttrs(root);
  const it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n = it.nextNode(); n; n = it.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) doText(n); else doAttrs(n);
  }
}

const observer = new MutationObserver((records) => {
  if (current === 'en') return;
  for (const r of records) {
    if (r.type === 'characterData') doText(r.target);
    else if (r.type === 'attributes') doAttrs(r.target);
    else for (const n of r.addedNodes) walk(n);
  }
});

// ---------- what the core translates ----------
function refreshCoreTexts() {
  coreTexts.clear();
  if (current === 'en') return;
  for (const report of reports.values()) {
    try {
      const out = localizeMessages(report, current);
      for (const [en, tr] of Object.entries(out.texts ?? {})) coreTexts.set(en, tr);
    } catch { /* an older document: its sentences stay English */ }
  }
  for (const [en, m] of errors) if (m[current]) coreTexts.set(en, m[current]);
}

/** The results document shown by `source` ('main', 'confounding'): its sentences
 *  (warnings, notes, readings) switch language with the page. */
export function noteReport(source, report) {
  if (report) reports.set(source, report); else reports.delete(source);
  refreshCoreTexts();
  if (current !== 'en') walk(document.documentElement);
}

/** An error shown on the page: its `messages` ({en, zh}) from the core switch too. */
export function noteError(err) {
  if (!err?.message || !err.messages) return;
  errors.set(err.message, err.messages);
  refreshCoreTexts();
  if (current !== 'en') walk(document.documentElement);
}

// ---------- switching ----------
/** Sets the language: translates (or restores) the page, redraws through the listeners. */
export function setLang(code) {
  current = code === 'zh' ? 'zh' : 'en';
  document.documentElement.lang = TAGS[current];
  try { setFigureLanguage(current); } catch { /* figures stay in their language */ }
  refreshCoreTexts();
  walk(document.documentElement);
  for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.lang-switch button'))) b.setAttribute('aria-pressed', String(b.dataset.lang === current));
  for (const f of listeners) f(current);
}

/** Calls `f(lang)` after every language change (figures redraw with it). */
export function onLangChange(f) { listeners.push(f); }

function buildSwitch() {
  const box = document.createElement('div');
  box.className = 'lang-switch';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Language');
  for (const [code, label] of [['en', 'EN'], ['zh', '中文']]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'button small';
    b.dataset.lang = code;
    b.lang = TAGS[code];
    b.textContent = label;
    b.setAttribute('data-i18n-skip', '');
    b.addEventListener('click', () => {
      if (code === current) return;
      history.replaceState(null, '', `#lang=${code}`);
      setLang(code);
    });
    box.append(b);
  }
  (document.querySelector('.masthead') ?? document.body).append(box);
}

/** Builds the switch, starts translating, sets the initial language. */
export function initI18n() {
  buildSwitch();
  observer.observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });
  setLang(initialLang());
}
