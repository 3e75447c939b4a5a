// The immortal-time card on the demo: the naive / landmark / time-dependent panel shows
// exactly the CLI Report's `immortal_time` (numbers and the Rust-written explanation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, WWW, startServer, launch, probedPage, waitForResult } from './helpers.mjs';

const haveCli = existsSync(CLI);
let server, browser, close;

before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

test('the demo shows naive vs landmark vs time-dependent HRs equal to the CLI Report', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, log, context } = await probedPage(browser);
  await page.goto(server.url);
  await waitForResult(page);
  const spec = JSON.parse(readFileSync(join(WWW, 'demo/demo_spec.json'), 'utf8'));
  const specPath = join(mkdtempSync(join(tmpdir(), 'survlens-immortal-')), 'spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const expected = JSON.parse(execFileSync(CLI, ['analyze', join(WWW, 'demo/gist_liver_mets_demo.csv'), '--spec', specPath], { encoding: 'utf8' }));
  const cmp = expected.immortal_time;
  assert.ok(cmp, 'the demo spec maps the local treatment date');
  assert.deepEqual(cmp.analyses.map((a) => a.analysis), ['naive', 'landmark', 'landmark', 'time_dependent']);
  assert.equal(await page.isVisible('#immortal-card'), true);
  const shown = await page.evaluate(() => ({
    rows: [...document.querySelectorAll('#immortal-table tbody tr')].map((tr) => ({
      analysis: tr.dataset.analysis,
      name: tr.querySelector('th')?.textContent,
      landmark: tr.dataset.landmark ?? null,
      hr: [...tr.querySelectorAll('[data-field="hr"]')].map((c) => [c.dataset.group, c.dataset.value]),
      p: [...tr.querySelectorAll('[data-field="p"]')].map((c) => c.dataset.value),
    })),
    text: [...document.querySelectorAll('#immortal-explanation p')].map((p) => p.textContent),
    report: JSON.parse(window.survlensDebug.state.json),
  }));
  assert.deepEqual(shown.report.immortal_time, cmp, 'the page Report equals the CLI one');
  assert.equal(shown.rows.length, cmp.analyses.length);
  cmp.analyses.forEach((a, i) => {
    const row = shown.rows[i];
    assert.equal(row.analysis, a.analysis);
    // Each row is named by its model and what it is adjusted for (the demo's covariates).
    assert.equal(row.name, a.label);
    assert.match(row.name, /, adjusted for age, sex/);
    assert.equal(row.landmark === null ? null : Number(row.landmark), a.landmark);
    assert.deepEqual(row.hr.map(([g, v]) => [g, Number(v)]), a.terms.map((t) => [t.group, t.hr]));
    assert.deepEqual(row.p.map(Number), a.terms.map((t) => t.p));
  });
  assert.deepEqual(shown.text, cmp.explanation);
  // Landmark and time-dependent analyses are asked: no naive-only warning.
  assert.equal(await page.isHidden('#immortal-warning').catch(() => true), true);
  assert.deepEqual(log.errors, []);
  await context.close();
});
