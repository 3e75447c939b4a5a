// Accessibility (issue 25): axe-core (npm, pinned in package-lock.json) over every panel of
// the page, in English and in Chinese, at 1280 and 390 px:
//   - the demo's results with every <details> opened and Table 1 / E-values shown: Cox,
//     subgroups, follow-up and conditional survival, immortal time (landmark and
//     time-dependent), the report panel; the target-trial emulation run with its results;
//     the confounding step weighted, then matched; the multiple-imputation panel;
//   - a user's file: the mapping step before its columns are confirmed, the event coding
//     of a competing-risks file and its results, the hazard ratios by period, and the
//     errors of a bad file and of an empty one;
//   - several hospitals: a site's export preview and the coordinator's combined results.
// Zero serious or critical violations. Every figure (canvas) of every panel has a name and
// a text alternative, its table, that the keyboard reaches; the figures met cover every
// figure of the core's list (figures(): a figure the page draws without its table fails).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, startServer, launch, probedPage, waitForResult, confirmColumns } from './helpers.mjs';
import { upload, settled as formSettled } from './cohort.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const haveCli = existsSync(CLI);
const TMP = mkdtempSync(join(tmpdir(), 'survlens-axe-test-'));
const LANGS = ['en', 'zh'];
const WIDTHS = [1280, 390];
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

/** Every visible figure: its core name (data-figure), an accessible name, and a table the
 *  keyboard reaches: named by the canvas's aria-details (in a <details>, whose summary takes
 *  the focus, or with a [data-focus] button that moves the focus to it), or in the figure's
 *  card (its reading order). Returns {problems, names} (names: the figures met). */
function figuresHaveTables(page) {
  return page.evaluate(() => {
    const problems = [];
    const names = [];
    for (const c of document.querySelectorAll('canvas')) {
      if (c.offsetParent === null) continue;
      const id = c.id || `${c.dataset.figure}${c.dataset.a ? ` (${c.dataset.a})` : ''}`;
      const figure = c.dataset.figure;
      if (!figure) problems.push(`${id}: not named as a figure of the core (data-figure)`);
      else names.push(figure);
      if (c.getAttribute('role') !== 'img') problems.push(`${id}: no role img`);
      const name = c.getAttribute('aria-label') || (c.getAttribute('aria-labelledby') && document.getElementById(c.getAttribute('aria-labelledby'))?.textContent);
      if (!name?.trim()) problems.push(`${id}: no accessible name`);
      const card = c.closest('.card, section, .conf-figure, figure')?.closest('.card, section') ?? c.parentElement;
      // A table of the figure's card (reached in the card's reading order), or one aria-details names.
      const inCard = [...(card?.querySelectorAll('table') ?? [])];
      const detailIds = (c.getAttribute('aria-details') ?? '').split(/\s+/).filter(Boolean);
      const described = detailIds.map((x) => document.getElementById(x)).filter(Boolean);
      const named = described.flatMap((d) => (d.matches('table') ? [d] : [...d.querySelectorAll('table')]));
      if (detailIds.length && named.length === 0) problems.push(`${id}: aria-details names no table (${detailIds.join(' ')})`);
      if (inCard.length === 0 && named.length === 0) problems.push(`${id}: no table beside the figure`);
      for (const x of detailIds) {
        const t = document.getElementById(x);
        if (!t) continue;
        const target = (b) => document.getElementById(b.getAttribute('data-focus'));
        const button = [...document.querySelectorAll('[data-focus]')].some((b) => target(b) && (t.contains(target(b)) || target(b).contains(t)));
        if (!button && !(t.matches('details') || t.closest('details'))) problems.push(`${id}: its table ${x} cannot be reached by keyboard`);
      }
    }
    return { problems, names };
  });
}

/** The figures met by every test (name → where), checked against the core's list last. */
const met = new Map();

/** A checker of one page: look(panel) opens every <details>, runs axe and the figure check. */
function checker(page, where) {
  const found = {};
  const look = async (panel) => {
    await openAll(page);
    await page.waitForTimeout(200);
    const figs = await figuresHaveTables(page);
    found[panel] = [...await violations(page), ...figs.problems];
    for (const n of figs.names) if (!met.has(n)) met.set(n, `${where}: ${panel}`);
  };
  return { found, look };
}

const clean = (found) => Object.fromEntries(Object.keys(found).map((k) => [k, []]));

for (const lang of LANGS) {
  for (const width of WIDTHS) {
    const viewport = { width, height: 900 };
    const hash = `#lang=${lang}`;

    test(`axe-core, ${lang} ${width} px: the demo's panels (results, Cox, subgroups, follow-up, immortal time, report, emulation, confounding, imputation)`, async () => {
      const { page, context, log } = await probedPage(browser, { viewport });
      await page.goto(`${server.url}${hash}`);
      await waitForResult(page);
      assert.equal(await page.evaluate(() => document.documentElement.lang.slice(0, 2)), lang);
      const { found, look } = checker(page, `demo ${lang} ${width}`);

      // The demo's results with the optional tables shown: Cox (PH test, Schoenfeld,
      // log-log), subgroups, follow-up and conditional survival, immortal time, the report panel.
      await openAll(page);
      await page.check('#table1');
      await page.check('#sensitivity');
      await settled(page);
      for (const id of ['cox-card', 'subgroups-card', 'followup-card', 'immortal-card', 'report-tools']) {
        assert.equal(await page.isVisible(`#${id}`), true, `${id} shown`);
      }
      // The PH test of the time-dependent model is in the immortal-time card.
      assert.equal(await page.isVisible('#immortal-ph-table'), true);
      await look('results');
      // The survival figure's table is one key press away.
      await page.focus('[data-focus="summary-table"]');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'summary-table');

      // The target-trial emulation in the immortal-time card, run (few replicates) with its results.
      await page.waitForSelector('#emulation:not([hidden])', { timeout: 60000 });
      await page.fill('#emu-reps', '20');
      await page.click('#emu-run');
      await page.waitForFunction(() => window.survlensEmulation?.state.report?.emulation
        && [...document.querySelectorAll('#emu-results canvas')].every((c) => c.width > 0), null, { timeout: 300000 });
      await look('emulation');

      // The confounding step: weighting, then matching.
      await page.click('#conf-run');
      await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 120000 });
      await page.waitForFunction(() => document.querySelector('#conf-overlap-table table'), null, { timeout: 30000 });
      await look('weighting');
      await page.click('label[for="conf-method-matching"]');
      await page.click('#conf-run');
      await page.waitForFunction(() => window.survlensConfounding?.state.matchReport?.matching, null, { timeout: 120000 });
      await page.waitForFunction(() => [...document.querySelectorAll('#match-results canvas')].every((c) => c.width > 0), null, { timeout: 30000 });
      await look('matching');

      // The missing-data panel, with a small multiple imputation run.
      assert.equal(await page.isVisible('#imp-choice-mi'), true);
      await page.check('#imp-choice-mi');
      await openAll(page);
      await page.fill('#imp-m', '2');
      await page.fill('#imp-iterations', '2');
      await page.click('#imp-run');
      await page.waitForFunction(() => !document.getElementById('imp-results')?.hidden, null, { timeout: 120000 });
      await page.waitForTimeout(500);
      await look('imputation');

      assert.deepEqual(found, clean(found));
      assert.deepEqual(log.errors, []);
      await context.close();
    });

    test(`axe-core, ${lang} ${width} px: a user's file (mapping, event coding, competing risks, periods, errors)`, async () => {
      const { page, context, log } = await probedPage(browser, { viewport });
      await page.goto(`${server.url}${hash}`);
      await waitForResult(page);
      const { found, look } = checker(page, `file ${lang} ${width}`);

      // The mapping step of a file SurvLens is not sure of, before the columns are confirmed.
      await upload(page, 'veteran_raw.csv', readFileSync(join(ROOT, 'tests/guess_corpus/veteran_raw.csv'), 'utf8'));
      await page.waitForFunction(() => window.survlensDebug.state.dataName === 'veteran_raw.csv' && window.survlensDebug.state.preview, null, { timeout: 30000 });
      await formSettled(page);
      await page.check('input[name="time-mode"][value="duration"]');
      await page.selectOption('#time-column', 'time');
      await page.selectOption('#event-column', 'status');
      await look('mapping');
      await page.selectOption('#event-values-list select[data-value="1"]', 'event');
      await page.selectOption('#event-values-list select[data-value="0"]', 'censored');
      await page.selectOption('#group-column', 'celltype');
      await page.check('#covariate-list input[value="karno"]');
      if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
      await formSettled(page);
      await page.waitForFunction(() => window.survlensDebug.state.report?.cox?.ph_test, null, { timeout: 60000 });
      // The hazard ratios by period, offered where the PH test flags the group.
      await page.click('#periods-suggest');
      await page.waitForFunction(() => window.survlensDebug.state.report?.cox?.periods && !document.body.classList.contains('busy'), null, { timeout: 60000 });
      await page.waitForSelector('#periods-table');
      await look('periods');

      // A competing-risks file: its event coding (three values), then its results.
      await upload(page, 'pbc_raw.csv', readFileSync(join(ROOT, 'tests/guess_corpus/pbc_raw.csv'), 'utf8'));
      await page.waitForFunction(() => window.survlensDebug.state.dataName === 'pbc_raw.csv' && window.survlensDebug.state.preview, null, { timeout: 30000 });
      await formSettled(page);
      await page.check('input[name="time-mode"][value="duration"]');
      await page.selectOption('#time-column', 'time');
      await page.selectOption('#time-unit', 'days');
      await page.selectOption('#event-column', 'status');
      await page.selectOption('#group-column', 'trt');
      await page.selectOption('#group-reference', '1');
      for (const [value, kind] of [['2', 'event'], ['1', 'competing'], ['0', 'censored']]) {
        await page.selectOption(`#event-values-list select[data-value="${value}"]`, kind);
      }
      await page.evaluate(() => { for (const d of document.querySelectorAll('#spec-form details')) d.open = true; });
      await page.check('#covariate-list input[value="age"]');
      await look('event coding');
      if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
      await formSettled(page);
      await page.waitForFunction(() => window.survlensDebug.state.report?.competing_risks && document.getElementById('cif-canvas')?.dataset.drawn, null, { timeout: 60000 });
      await look('competing risks');
      // Weighted by the propensity score: the weighted cumulative incidence.
      await page.click('#conf-run');
      await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted?.cif && document.getElementById('conf-cif-canvas')?.dataset.drawn, null, { timeout: 120000 });
      await look('competing risks, weighted');

      // Errors: a file that is not a table, then an empty one (its own message).
      await page.setInputFiles('#file', { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('just one line of text\n') });
      await page.waitForFunction(() => !document.getElementById('form-error').hidden, null, { timeout: 30000 });
      await look('bad file');
      await page.setInputFiles('#file', { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
      await page.waitForFunction(() => !document.getElementById('form-error').hidden && document.getElementById('form-error-kind').textContent === 'empty_file', null, { timeout: 30000 });
      assert.match(await page.textContent('#form-error-message'), lang === 'en' ? /empty \(0 bytes\)/ : /文件为空（0 字节）/);
      await look('empty file');

      assert.deepEqual(found, clean(found));
      assert.deepEqual(log.errors, []);
      await context.close();
    });

    test(`axe-core, ${lang} ${width} px: several hospitals (a site's export preview, the coordinator's combined results)`, { skip: !haveCli && 'CLI not built' }, async () => {
      const CASE = join(ROOT, 'tests/reference/sites_demo');
      const protocol = join(CASE, 'spec.json');
      const sites = JSON.parse(readFileSync(join(CASE, 'expected.json'), 'utf8')).sites;
      // Each site's summary as the CLI makes it (tests/browser/sites.test.mjs: the page's equal it).
      const summaries = sites.map((s) => {
        const out = join(TMP, `${s}-${lang}-${width}.json`);
        execFileSync(CLI, ['site', join(CASE, `site_${s}.csv`), '--spec', protocol, '--site', s, '--out', out]);
        return out;
      });

      // A site's page: its file, the protocol, the export preview.
      {
        const { page, context, log } = await probedPage(browser, { viewport });
        await page.goto(`${server.url}${hash}`);
        await waitForResult(page);
        const { found, look } = checker(page, `site ${lang} ${width}`);
        await page.setInputFiles('#file', join(CASE, `site_${sites[0]}.csv`));
        await confirmColumns(page);
        await page.setInputFiles('#load-protocol', protocol);
        await page.waitForSelector('#sites-card:not([hidden])', { timeout: 120000 });
        await settled(page);
        await page.click('#export-site-summary');
        await page.fill('#site-name', sites[0]);
        await page.waitForFunction(() => document.querySelectorAll('#site-preview li').length >= 6, null, { timeout: 60000 });
        await look('site export preview');
        assert.deepEqual(found, clean(found));
        assert.deepEqual(log.errors, []);
        await context.close();
      }
      // The coordinator's view with the combined results.
      const { page, context, log } = await probedPage(browser, { viewport });
      await page.goto(`${server.url}${hash}`);
      await waitForResult(page);
      const { found, look } = checker(page, `coordinator ${lang} ${width}`);
      await page.click('#open-coordinator');
      await page.waitForSelector('#coordinator:not([hidden])');
      await look('coordinator, empty');
      await page.setInputFiles('#sites-files', summaries);
      await page.waitForFunction(() => !document.getElementById('sites-results').hidden
        && [...document.querySelectorAll('#sites-results canvas')].every((c) => c.width > 0), null, { timeout: 60000 });
      await look('coordinator, combined');
      assert.deepEqual(found, clean(found));
      assert.deepEqual(log.errors, []);
      await context.close();
    });
  }
}

test('every figure of the core\'s list was met in a panel with its table', async (t) => {
  if (!haveCli) { t.skip('CLI not built (the sites figures)'); return; }
  const { page, context } = await probedPage(browser);
  await page.goto(server.url);
  await waitForResult(page);
  const names = await page.evaluate(async () => (await import('./survlens.js')).figures().map((f) => f.name));
  await context.close();
  assert.ok(names.length >= 20, names.join(' '));
  assert.deepEqual(names.filter((n) => !met.has(n)), [], `met: ${JSON.stringify(Object.fromEntries(met))}`);
});
