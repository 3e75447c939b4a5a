// The page under hostile input and faults (issue 8): XSS and formula payloads in labels,
// column names and error messages reach the DOM as text and every export safely; the
// worker's out-of-memory is caught, the worker restarted, the message shown and the
// previous results kept; a file too large for the browser is refused before reading;
// and no script in www/ hands non-constant input to an HTML sink.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WWW, startServer, launch, probedPage, waitForResult, confirmColumns } from './helpers.mjs';

let server, browser, close;
before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

// Cells are read trimmed (a leading tab is dropped by the reader): compare trimmed.
export const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=2</script>',
  '"><svg onload=window.__pwned=3>',
  '=HYPERLINK("http://evil.example","x")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1)',
  '\tleading tab',
  'a & b </text>',
];
const GROUP_COLUMN = '<b onmouseover=window.__pwned=4>arm</b>';

function csvField(s) { return /[",\r\n\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; }
function payloadCsv() {
  const rows = [['months', 'death', GROUP_COLUMN, 'age'].map(csvField).join(',')];
  for (let i = 0; i < 120; i++) {
    const t = (((i * 37) % 113) / 2 + 1).toFixed(1);
    rows.push([t, i % 4 === 0 ? 0 : 1, csvField(PAYLOADS[i % PAYLOADS.length]), 40 + (i % 30)].join(','));
  }
  return rows.join('\n') + '\n';
}

/** Cells of a CSV text (RFC 4180 quotes). */
function parseCsv(text) {
  const rows = []; let row = []; let cell = ''; let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) { if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c; }
    else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function settled(page) {
  await page.waitForTimeout(400);
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 30000 });
}

async function openPage() {
  const probe = await probedPage(browser);
  await probe.page.goto(server.url);
  await waitForResult(probe.page);
  return probe;
}

test('XSS and formula payloads: text in the page, escaped or neutralised in every export', async () => {
  const { page, log, context } = await openPage();
  await page.evaluate(() => { window.__pwned = 0; });
  await page.setInputFiles('#file', { name: '<img src=x>.csv', mimeType: 'text/csv', buffer: Buffer.from(payloadCsv()) });
  await settled(page);
  await page.selectOption('#time-column', 'months');
  await page.selectOption('#event-column', 'death');
  await page.selectOption('#group-column', GROUP_COLUMN);
  await confirmColumns(page);
  await settled(page);
  const labels = await page.$$eval('#summary-table tbody th', (th) => th.map((x) => x.textContent));
  for (const p of PAYLOADS.map((x) => x.trim())) assert.ok(labels.includes(p), `label ${JSON.stringify(p)} not shown as text: ${JSON.stringify(labels)}`);
  const dom = await page.evaluate(() => ({
    pwned: window.__pwned, img: document.querySelectorAll('img').length,
    scripts: document.scripts.length, b: document.querySelectorAll('main b, #results b').length,
    svgOnload: document.querySelectorAll('[onload],[onerror],[onmouseover]').length,
  }));
  assert.deepEqual(dom, { pwned: 0, img: 0, scripts: 1, b: 0, svgOnload: 0 });
  assert.deepEqual(log.dialogs, []);

  const get = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return readFileSync(await d.path(), 'utf8');
  };
  // Every table export: no cell a spreadsheet would run as a formula.
  const names = await page.$$eval('[data-export]', (bs) => bs.filter((b) => b.offsetParent !== null).map((b) => b.dataset.export));
  assert.ok(names.includes('summary'), JSON.stringify(names));
  for (const name of names) {
    const cells = parseCsv(await get(`[data-export="${name}"]`)).flat();
    for (const c of cells) {
      const formula = /^[=+\-@\t\r]/.test(c) && !/^[-+]?(\d|\.\d)/.test(c);
      assert.ok(!formula, `${name}.csv: cell ${JSON.stringify(c)} would run as a formula`);
    }
    if (name === 'summary') for (const p of PAYLOADS.map((x) => x.trim())) assert.ok(cells.includes(/^[=+\-@\t\r]/.test(p) ? `'${p}` : p), `summary.csv lacks ${JSON.stringify(p)}`);
  }
  // The SVG export parses as XML, holds no script or handler, shows the labels as text.
  const svg = await get('#export-svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      bad: doc.querySelectorAll('script, foreignObject, img, [onload], [onerror], [onmouseover]').length,
      text: [...doc.querySelectorAll('text')].map((t) => t.textContent).join('\n'),
    };
  }, svg);
  assert.equal(parsed.error, null);
  assert.equal(parsed.bad, 0);
  for (const p of PAYLOADS) assert.ok(parsed.text.includes(p.trim()), `SVG lacks ${JSON.stringify(p)}`);
  // The JSON export carries the labels verbatim (data, not markup).
  const json = JSON.parse(await get('#export-json'));
  for (const p of PAYLOADS.map((x) => x.trim())) assert.ok(json.groups.some((g) => g.label === p), JSON.stringify(p));
  await get('#export-png');
  assert.equal(await page.evaluate(() => window.__pwned), 0);

  // An error message quoting a payload is text too.
  const bad = `t,d\n1,1\n2,${csvField('<img src=x onerror="window.__pwned=5">')}\n`;
  await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await settled(page);
  await page.selectOption('#time-column', 't');
  await page.selectOption('#event-column', 'd');
  await confirmColumns(page);
  await settled(page);
  await page.waitForSelector('#form-error:not([hidden])');
  assert.match(await page.textContent('#form-error-message'), /<img src=x/);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length + window.__pwned), 0);
  assert.ok(!log.requests.some((u) => /\/x$/.test(u)), 'no request for an injected img');
  await context.close();
});

test('out of memory in the worker: caught, worker restarted, message shown, results kept', async () => {
  const { page, context } = await openPage();
  const before = await page.evaluate(() => ({ json: window.survlensDebug.state.json, rows: document.querySelectorAll('#summary-table tbody tr').length }));
  assert.ok(before.rows > 0);
  const err = await page.evaluate(() => window.survlensDebug.crash('oom').then(() => null, (e) => ({ kind: e.kind, message: e.message })));
  assert.equal(err.kind, 'out_of_memory', JSON.stringify(err));
  assert.match(err.message, /memory/);
  await page.waitForSelector('#fault-notice:not([hidden])');
  assert.match(await page.textContent('#fault-notice .fault-message'), /more memory than the browser/);
  assert.equal(await page.textContent('#fault-notice .fault-kind'), 'out_of_memory');
  const after = await page.evaluate(() => ({ json: window.survlensDebug.state.json, rows: document.querySelectorAll('#summary-table tbody tr').length }));
  assert.deepEqual(after, before, 'the previous results are kept');
  // The restarted worker reloads the file and analyses again.
  await page.click('#analysis-options summary');
  await page.selectOption('#conf-type', 'plain');
  await settled(page);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report.km.conf_type), 'plain');
  // A panic shows the notice too.
  await page.click('#fault-notice button');
  await page.evaluate(() => window.survlensDebug.crash('panic').catch(() => null));
  await page.waitForSelector('#fault-notice:not([hidden])');
  assert.equal(await page.textContent('#fault-notice .fault-kind'), 'internal');
  await context.close();
});

test('a file larger than the page takes is refused before it is read', async () => {
  const { page, context } = await openPage();
  const before = await page.evaluate(() => window.survlensDebug.state.json);
  // A File-like object declaring 5 GB, dropped on the page (nothing is allocated).
  const read = await page.evaluate(() => {
    window.__read = false;
    const huge = { name: 'export.csv', size: 5 * 2 ** 30, stream() { window.__read = true; throw new Error('read'); },
      arrayBuffer() { window.__read = true; throw new Error('read'); } };
    const e = new Event('drop', { cancelable: true });
    Object.defineProperty(e, 'dataTransfer', { value: { files: [huge] } });
    window.dispatchEvent(e);
    return window.__read;
  });
  assert.equal(read, false);
  await page.waitForSelector('#form-error:not([hidden])');
  assert.equal(await page.textContent('#form-error-kind'), 'file_too_large');
  assert.match(await page.textContent('#form-error-message'), /5 GB.*1 GB.*command-line/);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.json), before, 'results kept');
  await context.close();
});

test('Engine.load of the embedding API refuses a file over 1 GiB as the page does', async () => {
  const { page, context } = await openPage();
  const out = await page.evaluate(async () => {
    const { Engine } = await import('./survlens.js');
    const engine = new Engine();
    let read = false;
    const huge = { name: 'export.csv', size: 5 * 2 ** 30, stream() { read = true; throw new Error('read'); },
      arrayBuffer() { read = true; throw new Error('read'); } };
    // An ArrayBuffer-like object declaring 1 GiB + 1 byte.
    const big = { byteLength: 2 ** 30 + 1 };
    const result = [];
    for (const data of [huge, big]) {
      try { await engine.load(data); result.push({ ok: true }); } catch (e) {
        result.push({ kind: e.kind, name: e.name, message: e.message });
      }
    }
    // The engine still works: a small file loads after the refusals.
    const preview = await engine.load('t,d\n1,1\n2,0\n');
    return { result, read, worker: engine.source?.data, loaded: typeof preview === 'object' && preview !== null };
  });
  assert.equal(out.read, false, 'nothing was read');
  for (const r of out.result) {
    assert.equal(r.kind, 'file_too_large');
    assert.equal(r.name, 'SurvLensError');
  }
  assert.match(out.result[0].message, /5 GB.*1 GB.*command-line/);
  assert.match(out.result[1].message, /1 GB.*command-line/);
  assert.equal(out.worker, 't,d\n1,1\n2,0\n', 'the refused files did not become the source');
  assert.ok(out.loaded, 'a small file loads after the refusals');
  await context.close();
});

/** Every .js file under www/ (the generated pkg/ included: it must be clean too). */
function scripts(dir = WWW) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' ? [] : scripts(p);
    return /\.m?js$/.test(n) ? [p] : [];
  });
}

test('no script in www/ gives non-constant input to an HTML sink', () => {
  const sink = /\.(innerHTML|outerHTML)\s*[+]?=\s*([^;\n]*)|\.insertAdjacentHTML\s*\(([^)]*)\)|document\.write(ln)?\s*\(([^)]*)\)|\.srcdoc\s*=|\beval\s*\(|new\s+Function\s*\(|\.createContextualFragment\s*\(/g;
  const constant = /^\s*(''|""|``|'[^'$]*'|"[^"$]*")\s*$/;
  const found = [];
  const files = scripts();
  assert.ok(files.some((f) => f.endsWith('main.js')) && files.some((f) => f.endsWith('worker.js')));
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(sink)) {
      const value = m[2] ?? m[3] ?? m[5];
      const isConst = value !== undefined && constant.test(value.replace(/^[^,]*,/, m[3] ? '' : '$&'));
      if (!isConst) found.push(`${f.slice(WWW.length + 1)}: ${m[0].slice(0, 80)}`);
    }
  }
  assert.deepEqual(found, []);
});
