// The page on a phone and a laptop, in English and Chinese (issue 16): no page-level
// horizontal scroll from 360 px up with the demo's results and the adjusted analysis shown,
// the file button and the language switch on screen, tables scrolling inside their cards,
// the figure drawn at its card's width (sharp at a pixel ratio of 2, redrawn on resize);
// file buttons with a focus ring that Enter and Space open; one accessible name per button;
// an error beside its field and in an alert where the user acted, in the page's language;
// Table 1's Overall missing cell; sizes in words; every static string translated.
// Screenshots at 390 and 1280 px (en, zh) go to target/screenshots/ for a person to look at.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, browserSession, probedPage, waitForResult } from './helpers.mjs';
import { fileSize as formatSize } from '../../www/lib/format.js';

const SHOTS = join(ROOT, 'target/screenshots');
const session = browserSession();
before(() => mkdirSync(SHOTS, { recursive: true }));

/** The demo page at `width` px in `lang`, results drawn. */
async function demo(width, lang, opts = {}) {
  const probe = await probedPage(session.browser, { viewport: { width, height: 800 }, ...opts });
  await probe.page.goto(`${session.server.url}#lang=${lang}`);
  await waitForResult(probe.page, 60000);
  return probe;
}

/** Page width, viewport width and the boxes of the file button and the language switch. */
const geometry = (page) => page.evaluate(() => {
  const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return { left: r.left, right: r.right, width: r.width }; };
  const wide = [...document.querySelectorAll('body *')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > innerWidth + 1 && !e.closest('.table-wrap');
  }).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
  return {
    scroll: document.documentElement.scrollWidth, inner: innerWidth,
    file: box('label[for="file"]'), lang: box('.lang-switch'), wide,
  };
});

function assertFits(g, where) {
  assert.ok(g.scroll <= g.inner, `${where}: page ${g.scroll} px wide in a ${g.inner} px window (too wide: ${g.wide.join(', ')})`);
  for (const k of ['file', 'lang']) {
    assert.ok(g[k].width > 0 && g[k].left >= 0 && g[k].right <= g.inner, `${where}: ${k} at ${g[k].left}–${g[k].right} of ${g.inner}`);
  }
}

for (const lang of ['en', 'zh']) {
  test(`no page-level horizontal scroll at 360, 390, 768 and 1280 px (${lang})`, async () => {
    for (const width of [360, 390, 768, 1280]) {
      const { page, context, log } = await demo(width, lang);
      assertFits(await geometry(page), `${width} px ${lang}, demo`);
      // With everything open: the file preview, the adjusted analysis and Table 1.
      await page.evaluate(() => { document.getElementById('preview-card').hidden = false; for (const d of document.querySelectorAll('details')) d.open = true; });
      await page.click('#conf-run');
      await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 120000 });
      await page.waitForTimeout(200);
      assertFits(await geometry(page), `${width} px ${lang}, all results`);
      // A table wider than its card scrolls inside it, as a labelled region the keyboard reaches.
      const regions = await page.evaluate(() => [...document.querySelectorAll('.table-wrap, .figure-scroll')]
        .filter((w) => w.getClientRects().length && w.scrollWidth > w.clientWidth + 1)
        .map((w) => {
          const by = document.getElementById(w.getAttribute('aria-labelledby'));
          const name = w.getAttribute('aria-label') ?? by?.getAttribute('aria-label') ?? by?.textContent ?? '';
          return { tab: w.tabIndex, role: w.getAttribute('role'), name: name.trim() };
        }));
      if (width <= 390) assert.ok(regions.length > 0, 'at phone width some table scrolls inside its card');
      for (const r of regions) assert.deepEqual([r.tab, r.role, r.name.length > 0], [0, 'region', true], JSON.stringify(r));
      if (width === 390 || width === 1280) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(SHOTS, `page-${width}-${lang}.png`) });
        await page.screenshot({ path: join(SHOTS, `page-${width}-${lang}-full.png`), fullPage: true });
      }
      assert.deepEqual(log.errors, []);
      await context.close();
    }
  });
}

test('the figure is drawn at its card\'s width, sharp at pixel ratio 2, and redrawn when the window narrows', async () => {
  const { page, context } = await demo(1280, 'en', { deviceScaleFactor: 2 });
  const size = () => page.evaluate(() => {
    const c = document.getElementById('km-canvas');
    return { css: c.getBoundingClientRect().width, box: c.parentElement.clientWidth, px: c.width, style: c.getAttribute('style') };
  });
  const wide = await size();
  assert.equal(wide.css, Math.min(900, wide.box));
  assert.equal(wide.px, Math.round(wide.css * 2), 'device pixels = CSS pixels × 2');
  assert.equal(wide.style, null, 'no style attribute (the CSP allows style sheets only)');
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForFunction(() => document.getElementById('km-canvas').width < 1000);
  const narrow = await size();
  assert.ok(narrow.css <= narrow.box && narrow.css > 250, JSON.stringify(narrow));
  assert.equal(narrow.px, Math.round(narrow.css * 2));
  await context.close();
});

test('file buttons: a visible focus ring, and Enter or Space opens the chooser', async () => {
  // Whether headless chromium shows a chooser for a key press is timing-dependent, so the
  // test checks the page's part: Enter calls the input's click() (which opens the chooser),
  // and Space is left to the browser, which opens a focused file input on Space itself.
  const { page, context } = await demo(1280, 'en');
  for (const [before, input] of [['#save-protocol', '#load-protocol'], ['.lang-switch button:last-child', '#file']]) {
    await page.focus(before);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => `#${document.activeElement.id}`), input);
    const ring = await page.evaluate((sel) => {
      const i = document.querySelector(sel);
      const label = i.closest('label') ?? document.querySelector(`label[for="${i.id}"]`);
      const s = getComputedStyle(label);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    }, input);
    assert.ok(ring.style !== 'none' && ring.width >= 2, `${input}: focus ring ${JSON.stringify(ring)}`);
    const got = await page.evaluate((sel) => {
      const i = document.querySelector(sel);
      let clicks = 0;
      i.click = () => { clicks += 1; }; // counts instead of opening a chooser
      const press = (key) => {
        const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
        i.dispatchEvent(e);
        return e.defaultPrevented;
      };
      const enterPrevented = press('Enter');
      const enterClicks = clicks;
      const spacePrevented = press(' ');
      delete i.click;
      return { enterPrevented, enterClicks, spacePrevented, spaceClicks: clicks - enterClicks };
    }, input);
    assert.deepEqual(got, { enterPrevented: true, enterClicks: 1, spacePrevented: false, spaceClicks: 0 }, input);
  }
  // And once for real: Enter on "Choose a file…" opens the chooser.
  await page.focus('.lang-switch button:last-child');
  await page.keyboard.press('Tab');
  // Playwright turns on the interception of choosers when a listener is added, by a
  // round trip to the browser: a key pressed before that opens an uncaught chooser. Wait
  // for the listener to be in place (one more round trip) before pressing.
  const chooser = page.waitForEvent('filechooser', { timeout: 10000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  await page.keyboard.press('Enter');
  assert.ok(await chooser, '#file opens on Enter');
  await context.close();
});

/** Every visible button's accessible name (aria-label, aria-labelledby, label, text). */
const buttonNames = (page) => page.evaluate(() => [...document.querySelectorAll('button, [role="button"], input[type="file"]')]
  .filter((b) => (b.type === 'file' ? b.closest('label, .dropzone') : b).getClientRects().length > 0 && !b.closest('[hidden]'))
  .map((b) => {
    const by = b.getAttribute('aria-labelledby');
    const name = b.getAttribute('aria-label')
      ?? (by && by.split(' ').map((id) => document.getElementById(id)?.textContent).join(' '))
      ?? (b.labels?.length ? [...b.labels].map((l) => l.textContent).join(' ') : b.textContent);
    return name.replace(/\s+/g, ' ').trim();
  }));

for (const lang of ['en', 'zh']) {
  test(`every button has a name of its own (${lang})`, async () => {
    const { page, context } = await demo(1280, lang);
    await page.click('#conf-run');
    await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 120000 });
    const names = await buttonNames(page);
    assert.ok(names.length >= 20, `${names.length} buttons`);
    const seen = new Map();
    for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
    const twice = [...seen].filter(([n, k]) => k > 1 || !n);
    assert.deepEqual(twice, [], 'names used by two buttons, or empty');
    if (lang === 'en') for (const n of names) assert.notEqual(n, 'CSV');
    await context.close();
  });
}

const BAD_TIME = 'months,status,arm\n3,1,A\n5,0,B\nsoon,1,A\n8,1,B\n9,0,A\n';

for (const lang of ['en', 'zh']) {
  test(`an error is shown beside its field and announced where the user acted (${lang})`, async () => {
    const { page, context } = await demo(390, lang);
    await page.setInputFiles('#file', { name: 'bad_time.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_TIME) });
    await page.waitForFunction(() => [...document.getElementById('time-column').options].some((o) => o.value === 'months'));
    await page.waitForFunction(() => !document.getElementById('status').textContent.includes('…'), null, { timeout: 30000 }).catch(() => {});
    await page.check('input[name="time-mode"][value="duration"]');
    await page.selectOption('#time-column', 'months');
    // SurvLens is not sure of a time column holding text: the user confirms the columns.
    await page.waitForTimeout(300);
    if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
    await page.waitForSelector('#time-column[aria-invalid="true"]', { timeout: 30000 });
    const got = await page.evaluate(() => {
      const select = document.getElementById('time-column');
      const msg = select.closest('.field').querySelector('.field-error');
      const box = document.getElementById('form-error');
      return {
        msg: msg?.textContent ?? '', describedBy: select.getAttribute('aria-describedby') ?? '', msgId: msg?.id,
        alert: box.getAttribute('role'), shown: !box.hidden, inView: box.getBoundingClientRect().right <= innerWidth,
      };
    });
    assert.equal(got.alert, 'alert');
    assert.ok(got.shown && got.inView, JSON.stringify(got));
    assert.ok(got.describedBy.split(' ').includes(got.msgId), 'the control is described by its message');
    assert.ok(got.msg.includes('soon'), got.msg);
    if (lang === 'zh') {
      assert.match(got.msg, /[\u4e00-\u9fff]/, `message in Chinese: ${got.msg}`);
      // A column's name is data: "months" stays "months" in the list, not 月.
      assert.match(await page.evaluate(() => document.getElementById('time-column').selectedOptions[0].textContent), /^months（/);
    }
    else assert.match(got.msg, /line 4/);
    // The user changes another setting: the summary follows them there, the focus stays with
    // them, and the message stays beside the time column.
    await page.focus('#time-unit'); // as a user on the control (selectOption alone does not focus it)
    await page.selectOption('#time-unit', 'days');
    await page.waitForFunction(() => document.getElementById('time-unit').closest('.field').nextElementSibling?.id === 'form-error', null, { timeout: 30000 });
    const after = await page.evaluate(() => ({
      focus: document.activeElement.id, beside: Boolean(document.querySelector('#time-column ~ .field-error, .field:has(#time-column) .field-error')),
    }));
    assert.deepEqual(after, { focus: 'time-unit', beside: true });
    // The summary's button takes the focus to the control.
    await page.click('#form-error .form-error-goto button');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'time-column');
    // A file that cannot be read: the summary goes beside the file button and takes the focus.
    await page.setInputFiles('#file', { name: 'one_column.csv', mimeType: 'text/csv', buffer: Buffer.from('only\n1\n2\n') });
    await page.waitForFunction(() => !document.getElementById('form-error').hidden && !document.querySelector('.field-error'));
    const file = await page.evaluate(() => ({
      after: document.getElementById('file-info').nextElementSibling?.id, focus: document.activeElement.id,
    }));
    assert.deepEqual(file, { after: 'form-error', focus: 'form-error' });
    await context.close();
  });
}

test('Table 1: the Overall column counts the missing values of a categorical covariate (kit_exon)', async () => {
  const { page, context } = await demo(1280, 'en');
  await page.click('#conf-run');
  await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 120000 });
  const cell = await page.evaluate(() => {
    const c = document.querySelector('#conf-table1-card td[data-field="missing_overall"][data-covariate="kit_exon"]');
    const row = c?.closest('tr');
    return { text: c?.textContent, groups: row ? [...row.cells].slice(1, 4).map((x) => x.textContent) : [] };
  });
  // 3 blank kit_exon cells in the demo file, all in IM+HR (tests/reference/table1_demo_gist).
  assert.deepEqual(cell, { text: '3', groups: ['0', '3', '0'] });
  await context.close();
});

test('sizes read as people say them, in one function for both languages', () => {
  assert.equal(formatSize(51200 * 1024), '50 MB');
  assert.equal(formatSize(2 ** 30), '1 GB');
  assert.equal(formatSize(5 * 2 ** 30), '5 GB');
  assert.equal(formatSize(4.2 * 2 ** 20), '4.2 MB');
  assert.equal(formatSize(10 * 1024), '10 KB');
  assert.equal(formatSize(1536), '1.5 KB');
  assert.equal(formatSize(46), '1 KB');
  assert.equal(formatSize(0), '0 KB');
  assert.equal(formatSize(10.04 * 2 ** 20), '10 MB');
  assert.equal(formatSize(1500 * 2 ** 20), '1.5 GB');
});

test('every text of the static page and the demo banner has its Chinese', async () => {
  const { page, context } = await demo(1280, 'zh');
  const missing = await page.evaluate(async () => {
    const { t } = await import('./ui/i18n.js');
    const html = await (await fetch('index.html')).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const keep = /SurvLens|^[\s\d.%(),:;–—…·/=+-]*$|^[^A-Za-z]*$|^(CSV|SVG|PNG|JSON|EN|ISO 2020-03-31|KMunicate|Efron|Breslow|Kaplan–Meier|log|log-log|holm|Holm|Bonferroni|Benjamini–Hochberg|%[A-Za-z%/.-]+ \(.*\))$/;
    const out = [];
    const check = (text) => {
      const s = text.replace(/\s+/g, ' ').trim();
      if (!s || keep.test(s)) return;
      if (t(s) === s) out.push(s);
    };
    const it = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) if (!n.parentElement.closest('script, style, code')) check(n.nodeValue);
    for (const e of doc.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (e.hasAttribute(a)) check(e.getAttribute(a));
    }
    for (const s of [doc.title, 'Go to the setting', 'Go to the setting: 时间列', 'Table']) check(s);
    return out;
  });
  assert.deepEqual(missing, []);
  await context.close();
});

test('the R script of a workbook says that it reads a CSV copy, and which name (en, zh)', async () => {
  const { page, context } = await demo(390, 'en');
  await page.setInputFiles('#file', join(ROOT, 'tests/xlsx/demo.xlsx'));
  await page.waitForFunction(() => document.getElementById('file-info').textContent.startsWith('demo.xlsx'));
  await waitForResult(page, 60000);
  await page.waitForFunction(() => window.survlensDebug.state.spec && !document.getElementById('cancel').checkVisibility());
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-rscript')]);
  assert.match(download.suggestedFilename(), /\.R$/);
  await page.waitForFunction(() => document.getElementById('rscript-note').textContent.length > 0);
  assert.match(await page.textContent('#rscript-note'), /reads demo\.csv, not the workbook.*CSV UTF-8/);
  await page.click('.lang-switch button[data-lang="zh"]');
  assert.match(await page.textContent('#rscript-note'), /^此 R 脚本读取的是 demo\.csv/);
  await context.close();
});

test('an error about a spec field (km.times) is shown beside its input, the summary below the options', async () => {
  const { page, context } = await demo(390, 'en');
  await page.click('#analysis-options > summary');
  // More times than the core allows (1,000: survlens::limits::MAX_KM_TIMES).
  const many = Array.from({ length: 1001 }, (_, i) => i + 1).join(', ');
  await page.fill('#times', many);
  await page.waitForSelector('#times[aria-invalid="true"]', { timeout: 30000 });
  const got = await page.evaluate(() => {
    const input = document.getElementById('times');
    return {
      beside: input.closest('.field').querySelector('.field-error')?.textContent ?? '',
      summaryAfterOptions: input.closest('.field-grid').nextElementSibling?.id,
      focus: document.activeElement.id,
      kind: document.getElementById('form-error-kind').textContent,
    };
  });
  assert.match(got.beside, /1001 times asked/);
  assert.deepEqual([got.summaryAfterOptions, got.focus, got.kind], ['form-error', 'times', 'spec_invalid']);
  // Corrected: the message and the mark go.
  await page.fill('#times', '12, 36');
  await page.waitForFunction(() => !document.querySelector('.field-error') && document.getElementById('form-error').hidden, null, { timeout: 30000 });
  assert.equal(await page.getAttribute('#times', 'aria-invalid'), null);
  assert.equal(await page.getAttribute('#times', 'aria-describedby'), 'times-hint', 'its hint is kept');
  await context.close();
});
