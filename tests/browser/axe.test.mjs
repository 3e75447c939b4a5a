// Accessibility (issue 25): axe-core (npm, pinned in package-lock.json) over every step
// and panel of the page, in English and in Chinese: the demo's results with every
// <details> opened and Table 1 / E-values shown, the confounding step weighted, then
// matched, and the multiple-imputation panel with its results. Zero serious or
// critical violations. Every figure (canvas) has a name and a text alternative, its
// table, that the keyboard reaches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer, launch, probedPage, waitForResult } from './helpers.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser, close;
before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

async function settled(page) {
  await page.waitForTimeout(300);
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 120000 });
}

/** Opens every <details> of the page (a panel's hidden content is checked too). */
const openAll = (page) => page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });

/** axe-core's serious and critical violations, as readable lines. */
async function violations(page) {
  // Injected through the DevTools Protocol (not a <script>: the page's CSP forbids inline code).
  if (!(await page.evaluate(() => Boolean(globalThis.axe)))) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(' | ')}`);
}

/** Every visible figure: a name (aria-label) and a table in its card that the keyboard reaches. */
async function figuresHaveTables(page) {
  return page.evaluate(() => {
    const problems = [];
    for (const c of document.querySelectorAll('canvas')) {
      if (c.offsetParent === null) continue;
      const name = c.getAttribute('aria-label') || (c.getAttribute('aria-labelledby') && document.getElementById(c.getAttribute('aria-labelledby'))?.textContent);
      if (!name?.trim()) problems.push(`${c.id || c.className}: no accessible name`);
      const card = c.closest('.card, section, .conf-figure, figure')?.closest('.card, section') ?? c.parentElement;
      const tables = [...(card?.querySelectorAll('table') ?? [])];
      const described = c.getAttribute('aria-describedby')?.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean) ?? [];
      const all = [...tables, ...described.flatMap((d) => (d.matches('table') ? [d] : [...d.querySelectorAll('table')]))];
      if (all.length === 0) problems.push(`${c.id || c.className}: no table beside the figure`);
      // Reachable by keyboard: a table's scroll wrapper, or the table itself, or a <details>
      // summary holding it, is focusable (or the table sits in normal tab order content).
      for (const t of all) {
        const holder = t.closest('details');
        const focusable = t.closest('[tabindex]') || (holder && holder.querySelector('summary'));
        if (!focusable && t.closest('.table-wrap') && t.closest('.table-wrap').scrollWidth > t.closest('.table-wrap').clientWidth) {
          problems.push(`${c.id}: its table scrolls but cannot take focus`);
        }
      }
    }
    return problems;
  });
}

for (const lang of ['en', 'zh']) {
  test(`axe-core: every panel of the page in ${lang} has no serious or critical violation`, async () => {
    const { page, context, log } = await probedPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}#lang=${lang}`);
    await waitForResult(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang.slice(0, 2)), lang);
    const found = {};
    const look = async (panel) => {
      await openAll(page);
      found[panel] = [...await violations(page), ...await figuresHaveTables(page)];
    };

    // Steps 1–3: the demo's results with the optional tables shown.
    await openAll(page);
    await page.check('#table1');
    await page.check('#sensitivity');
    await settled(page);
    await look('results');

    // The confounding step: weighting, then matching.
    await page.click('#conf-run');
    await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 120000 });
    await page.waitForTimeout(500);
    await look('weighting');
    await page.click('label[for="conf-method-matching"]');
    await page.click('#conf-run');
    await page.waitForFunction(() => window.survlensConfounding?.state.matchReport?.matching, null, { timeout: 120000 });
    await page.waitForFunction(() => [...document.querySelectorAll('#match-results canvas')].every((c) => c.width > 0), null, { timeout: 30000 });
    await look('matching');

    // The missing-data panel, with a small multiple imputation run.
    if (await page.isVisible('#imp-choice-mi')) {
      await page.check('#imp-choice-mi');
      await openAll(page);
      await page.fill('#imp-m', '2');
      await page.fill('#imp-iterations', '2');
      await page.click('#imp-run');
      await page.waitForFunction(() => !document.getElementById('imp-results')?.hidden, null, { timeout: 120000 });
      await page.waitForTimeout(500);
      await look('imputation');
    }
    assert.ok(Object.keys(found).length >= 3, JSON.stringify(Object.keys(found)));
    assert.deepEqual(found, Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    assert.deepEqual(log.errors, []);
    await context.close();
  });
}
