// One voice for numbers (issue 17): the page and the HTML report print the same strings
// for the same numbers, in English and in Chinese. The demo runs; the test reads the
// hazard ratios, their CIs and p-values of the Cox card, the log-rank and pairwise
// p-values, the medians with their CIs and the survival percentages of the summary
// table from the page, downloads the report in the page's language and finds each
// string in the report's cell (or results sentence) for the same number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browserSession, probedPage, waitForResult } from './helpers.mjs';

const s = browserSession();
const WORD = { en: ' to ', zh: ' 至 ' };
/** "(0.18 to 0.53)" or "（0.18 至 0.53）" → "0.18 to 0.53". */
const inner = (text) => text.trim().replace(/^[(（]/, '').replace(/[)）]$/, '');

/** What the page shows, read from its cells (data-* attributes say which number). */
function pageNumbers() {
  const own = (el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
  const ci = (el) => el.querySelector('.ci')?.textContent ?? '';
  const cox = [...document.querySelectorAll('#cox-table td[data-field="hr"][data-model="multivariable"]')].map((td) => ({
    term: td.dataset.term,
    hr: own(td),
    ci: ci(td),
    p: document.querySelector(`#cox-table td[data-field="p"][data-model="multivariable"][data-term="${CSS.escape(td.dataset.term)}"]`)?.textContent.trim(),
  }));
  const pairwise = [...document.querySelectorAll('#pairwise-table tbody tr')].map((tr) => ({
    p: tr.querySelector('[data-field="p"]').textContent.trim(),
    adjusted: tr.querySelector('[data-field="p_adjusted"]').textContent.trim(),
  }));
  const medians = [...document.querySelectorAll('#summary-table td[data-field="median"]')].map((td) => ({ group: td.dataset.group, median: own(td), ci: ci(td) }));
  const surv = [...document.querySelectorAll('#summary-table td[data-field="surv"]:not([data-beyond])')].map((td) => ({ surv: own(td), ci: ci(td) }));
  return { cox, pairwise, medians, surv, logrankP: `p${document.getElementById('logrank-p').textContent}` };
}

/** The report's tables as text cells by table id, and its results text. */
function reportNumbers() {
  const rows = (id) => [...document.querySelectorAll(`table#${id} tbody tr`)].map((tr) => [...tr.cells].map((c) => c.textContent.trim()));
  return { cox: rows('cox'), logrank: rows('logrank'), pairwise: rows('pairwise'), km: rows('km'), results: document.getElementById('results')?.textContent.replace(/\s+/g, ' ') ?? '' };
}

for (const lang of ['en', 'zh']) {
  test(`the page prints the report's strings for the same numbers (${lang})`, { timeout: 240000 }, async () => {
    const { page, context } = await probedPage(s.browser);
    await page.goto(`${s.server.url}#lang=${lang}`);
    await waitForResult(page, 120000);
    await page.waitForSelector('#cox-table td[data-field="hr"][data-model="multivariable"]', { timeout: 120000 });
    const shown = await page.evaluate(pageNumbers);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-report')]);
    const html = readFileSync(await download.path(), 'utf8');
    const view = await context.newPage();
    await view.setContent(html, { waitUntil: 'domcontentloaded' });
    const report = await view.evaluate(reportNumbers);

    // Cox: HR, CI and p of every term, by the term's name (the report's first cell).
    assert.ok(shown.cox.length >= 2, 'the demo has Cox terms');
    for (const t of shown.cox) {
      const row = report.cox.find((r) => r[0] === t.term);
      assert.ok(row, `report row of ${t.term}`);
      assert.equal(t.hr, row[1], `HR of ${t.term}`);
      assert.equal(inner(t.ci), row[2], `CI of ${t.term}`);
      assert.ok(inner(t.ci).includes(WORD[lang]), `the interval word of ${lang}: ${t.ci}`);
      assert.equal(t.p, row[3], `p of ${t.term}`);
    }
    // Log-rank: the page's sentence form is the report's p cell.
    assert.equal(shown.logrankP, report.logrank.at(-1)[2], 'log-rank p');
    // Pairwise p and adjusted p, row by row (same order: the Report's).
    assert.ok(shown.pairwise.length >= 1, 'the demo compares groups pairwise');
    assert.equal(shown.pairwise.length, report.pairwise.length);
    shown.pairwise.forEach((q, i) => {
      assert.equal(q.p, report.pairwise[i][2], `pairwise p, row ${i}`);
      assert.equal(q.adjusted, report.pairwise[i][3], `pairwise adjusted p, row ${i}`);
    });
    // Medians (time, one decimal) with their CIs, by group.
    let compared = 0;
    for (const m of shown.medians) {
      const row = report.km.find((r) => r[0] === m.group);
      if (!row || !/^[0-9]/.test(m.median) || !m.ci) continue;
      assert.equal(m.median, row[1], `median of ${m.group}`);
      assert.equal(inner(m.ci), row[2], `median CI of ${m.group}`);
      compared += 1;
    }
    assert.ok(compared >= 1, 'at least one median compared');
    // Survival percentages: the report's results sentence "73.4% (95% CI 65.1% to 80.2%)".
    assert.ok(shown.surv.length >= 2, 'survival at the demo times');
    for (const a of shown.surv) {
      const [lo, hi] = inner(a.ci).split(WORD[lang]);
      const sentence = lang === 'en' ? `${a.surv}% (95% CI ${lo}% to ${hi}%)` : `${a.surv}%（95% CI ${lo}% 至 ${hi}%）`;
      assert.ok(report.results.includes(sentence), `"${sentence}" in the report's results`);
    }
  });
}
