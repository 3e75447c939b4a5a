// Headless-browser tests of several hospitals, no patient data moved (issue 23): the demo
// cohort split by its `center` column into three site files (A, B, C, written here); each
// opened in a page of its own, run under one protocol (loaded as a protocol file), its
// site summary exported through "Export site summary" after the plain-words preview; a
// fourth page combines them ("Combine site summaries"), and the rounds of the
// site-stratified Cox model run in the pages to convergence (each round the coordinator's
// pooled file goes to the three site pages, which export their summary again). The
// coordinator's pooled document equals the CLI's `survlens pool` on the same summaries
// byte for byte (and each page's summary the CLI's `survlens site`), and its stratified
// log-rank test, meta-analysis and site-stratified Cox model agree with R on the pooled
// rows (tests/reference/sites_demo, made by tests/r/make_reference_sites.R: survdiff +
// strata(site), metafor FE/REML, coxph + strata(site)). Summaries of different protocols are refused naming the sites, an edited
// summary and a file of another kind are refused, in English and in Chinese. Screenshots
// at 1280 and 390 px in English and Chinese (SURVLENS_SCREENSHOTS, default a temp folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, WWW, browserSession, probedPage, waitForResult, confirmColumns } from './helpers.mjs';

const haveCli = existsSync(CLI);
const TMP = mkdtempSync(join(tmpdir(), 'survlens-sites-test-'));
const SHOTS = process.env.SURVLENS_SCREENSHOTS ?? join(TMP, 'screenshots');
mkdirSync(SHOTS, { recursive: true });
// The R reference of the demo split by center, and its protocol (the one every site runs).
const CASE = join(ROOT, 'tests/reference/sites_demo');
const R = JSON.parse(readFileSync(join(CASE, 'expected.json'), 'utf8'));
const SITES = R.sites;
const PROTOCOL_PATH = join(CASE, 'spec.json');
const PROTOCOL = JSON.parse(readFileSync(PROTOCOL_PATH, 'utf8'));
// Another protocol (no covariate): its summaries must not be combined with the others.
const OTHER_PATH = join(TMP, 'other-protocol.json');
writeFileSync(OTHER_PATH, JSON.stringify({ ...PROTOCOL, covariates: [{ column: 'age' }] }, null, 2));

// The three site files: the demo's rows of each center, with the header (split here; the
// same rows as the reference case's site_*.csv).
const demoLines = readFileSync(join(WWW, 'demo/gist_liver_mets_demo.csv'), 'utf8').trimEnd().split('\n');
const centerAt = demoLines[0].split(',').indexOf('center');
const SITE_FILES = Object.fromEntries(SITES.map((s) => {
  const path = join(TMP, `site_${s}.csv`);
  writeFileSync(path, `${[demoLines[0], ...demoLines.slice(1).filter((l) => l.split(',')[centerAt] === s)].join('\n')}\n`);
  assert.equal(readFileSync(path, 'utf8'), readFileSync(join(CASE, `site_${s}.csv`), 'utf8'), `site ${s}: the reference's rows`);
  return [s, path];
}));

const session = browserSession();

/** The CLI's output: stdout, or for `site` (which writes only to --out) the file it writes. */
function cli(args) {
  if (args[0] !== 'site') return execFileSync(CLI, args, { encoding: 'utf8' });
  const out = join(TMP, `cli-${Math.random().toString(36).slice(2)}.json`);
  execFileSync(CLI, [...args, '--out', out], { encoding: 'utf8' });
  return readFileSync(out, 'utf8');
}
const close6 = (a, b, what, rel = 1e-6) => assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-3), `${what}: ${a} vs R ${b}`);
const closeP = (a, b, what) => close6(a, b, what, 1e-4);

/** The file a click saves, as text. */
async function saved(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await dl.path(), 'utf8');
}

/** A site's page: its file opened, the protocol file loaded and run. */
async function sitePage(site, { viewport = { width: 1280, height: 900 }, hash = '', protocol = PROTOCOL_PATH } = {}) {
  const probe = await probedPage(session.browser, { viewport });
  const { page } = probe;
  await page.goto(`${session.server.url}${hash}`);
  await waitForResult(page);
  await page.setInputFiles('#file', SITE_FILES[site]);
  await confirmColumns(page);
  await page.setInputFiles('#load-protocol', protocol);
  await page.waitForFunction((p) => JSON.stringify(window.survlensDebug.state.spec?.sites) === p && !document.body.classList.contains('busy'),
    JSON.stringify(JSON.parse(readFileSync(protocol, 'utf8')).sites), { timeout: 120000 });
  await page.waitForSelector('#sites-card:not([hidden])');
  return probe;
}

/** The site summary the page exports (the preview made, then saved); `round`: a pooled
 *  file to add first, {path, round}. */
async function exportSummary(page, site, round = null) {
  if (round) {
    await page.setInputFiles('#load-pooled', round.path);
    await page.waitForFunction((r) => document.getElementById('site-round').dataset.round === String(r), round.round);
  } else {
    await page.click('#export-site-summary');
  }
  await page.fill('#site-name', site);
  await page.waitForFunction(() => document.querySelectorAll('#site-preview li').length >= 6 && !document.getElementById('save-site-summary').disabled, null, { timeout: 60000 });
  return saved(page, '#save-site-summary');
}

/** The coordinator's page (its view open), `files` dropped in through its file input. */
async function coordinatorPage({ viewport = { width: 1280, height: 900 }, hash = '' } = {}) {
  const probe = await probedPage(session.browser, { viewport });
  await probe.page.goto(`${session.server.url}${hash}`);
  await waitForResult(probe.page);
  await probe.page.click('#open-coordinator');
  await probe.page.waitForSelector('#coordinator:not([hidden])');
  return probe;
}

/** Gives the coordinator's view the files `paths`: chosen, or dropped on its drop zone. */
async function combine(page, paths, { drop = false } = {}) {
  const before = await page.evaluate(() => window.survlensDebug.pooledText());
  if (drop) {
    const files = paths.map((p) => [p.split('/').pop(), readFileSync(p, 'utf8')]);
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const [name, text] of list) dt.items.add(new File([text], name, { type: 'application/json' }));
      return dt;
    }, files);
    await page.dispatchEvent('#sites-dropzone', 'drop', { dataTransfer });
  } else {
    await page.setInputFiles('#sites-files', paths);
  }
  await page.waitForFunction((b) => {
    const error = !document.getElementById('sites-error').hidden;
    const text = window.survlensDebug.pooledText();
    return error || (text && text !== b && !document.getElementById('sites-results').hidden);
  }, before, { timeout: 60000 });
}

function write(name, text) {
  const path = join(TMP, name);
  writeFileSync(path, text);
  return path;
}

test('three sites exported from three pages combine in a fourth into the CLI\'s pooled analysis, which agrees with R', { skip: !haveCli && 'CLI not built', timeout: 900000 }, async () => {
  const pages = {};
  const summaries = {};
  for (const site of SITES) {
    pages[site] = await sitePage(site);
    summaries[site] = write(`${site}-0.json`, await exportSummary(pages[site].page, site));
    // The page's summary is the CLI's, byte for byte.
    assert.equal(readFileSync(summaries[site], 'utf8'), cli(['site', SITE_FILES[site], '--spec', PROTOCOL_PATH, '--site', site]), `site ${site}`);
  }
  // The preview says in plain words what the file holds, and never a row or a date.
  const preview = await pages.A.page.$$eval('#site-preview li', (li) => li.map((x) => x.textContent));
  assert.ok(preview[0].includes('Site name: A.'), preview.join('\n'));
  assert.ok(preview.some((l) => l.includes(JSON.parse(readFileSync(summaries.A, 'utf8')).protocol_sha256)));
  assert.ok(preview.some((l) => /observed and expected deaths/.test(l)));
  assert.ok(preview.some((l) => /merged/.test(l)));
  assert.ok(preview.at(-1).startsWith('No patient row, no line number, no date'));
  const summaryA = readFileSync(summaries.A, 'utf8');
  assert.ok(!/GL0\d{3}|\d{4}-\d{2}-\d{2}|"line"/.test(summaryA), 'no patient id, date or line in the summary');
  await pages.A.page.locator('#sites-card').screenshot({ path: join(SHOTS, 'sites-site-1280-en.png') });

  const { page, log } = await coordinatorPage();
  await combine(page, SITES.map((s) => summaries[s]));
  let text = await page.evaluate(() => window.survlensDebug.pooledText());
  assert.equal(text, cli(['pool', ...SITES.map((s) => summaries[s])]), 'round 1: the CLI\'s pooled document');
  let round = 0;
  for (;;) {
    const doc = JSON.parse(text);
    if (!doc.sites.cox || doc.sites.cox.converged) break;
    round += 1;
    assert.ok(round <= 15, 'converges within 15 rounds');
    const shown = await page.$eval('#sites-rounds', (d) => ({ ...d.dataset, text: d.textContent }));
    if (round === 1) await page.locator('#sites-rounds').screenshot({ path: join(SHOTS, 'sites-rounds-1280-en.png') });
    assert.equal(shown.converged, 'false');
    assert.match(shown.text, new RegExp(`Round ${shown.round} of about \\d+: send this file to every site\\.`));
    // The coordinator's pooled file goes to every site page; each exports its summary again.
    const pooledPath = write(`pooled-${round}.json`, await saved(page, '#sites-download-round'));
    assert.equal(readFileSync(pooledPath, 'utf8'), text);
    for (const site of SITES) {
      summaries[site] = write(`${site}-${round}.json`, await exportSummary(pages[site].page, site, { path: pooledPath, round: doc.sites.cox.round + 1 }));
      assert.equal(readFileSync(summaries[site], 'utf8'), cli(['site', SITE_FILES[site], '--spec', PROTOCOL_PATH, '--site', site, '--beta', pooledPath]), `site ${site} round ${round}`);
    }
    if (round === 1) await pages.B.page.locator('#sites-card').screenshot({ path: join(SHOTS, 'sites-site-round-1280-en.png') });
    await combine(page, SITES.map((s) => summaries[s]));
    text = await page.evaluate(() => window.survlensDebug.pooledText());
    assert.equal(text, cli(['pool', ...SITES.map((s) => summaries[s])]), `round ${round + 1}: the CLI's pooled document`);
  }
  const doc = JSON.parse(text);
  const s = doc.sites;
  assert.equal(s.cox.converged, true);
  assert.ok(round >= 2, `the rounds ran in the pages (${round})`);
  // Per-site counts: the rows of each site file.
  assert.deepEqual(s.per_site.map((c) => c.site), SITES);
  assert.equal(s.per_site.reduce((a, c) => a + c.n, 0), R.n);
  assert.deepEqual(s.per_site.map((c) => c.n), SITES.map((x) => readFileSync(SITE_FILES[x], 'utf8').trimEnd().split('\n').length - 1));
  const counts = await page.$$eval('#sites-counts [data-field="n"]', (c) => c.map((x) => [x.dataset.site, Number(x.dataset.value)]));
  assert.deepEqual(counts, s.per_site.map((c) => [c.site, c.n]));
  // The stratified log-rank test: survdiff(Surv ~ treatment + strata(site)) on the pooled rows.
  close6(s.logrank.chisq, R.logrank.chisq, 'log-rank chisq');
  closeP(s.logrank.p, R.logrank.p, 'log-rank p');
  assert.equal(s.logrank.df, R.logrank.df);
  assert.deepEqual(s.logrank.groups.map((g) => g.label), R.logrank.labels);
  s.logrank.groups.forEach((g, i) => {
    close6(g.observed, R.logrank.observed[i], `O ${g.label}`);
    close6(g.expected, R.logrank.expected[i], `E ${g.label}`);
  });
  // The meta-analysis: metafor::rma(yi, sei, method = "FE" | "REML") of the sites' own models.
  assert.deepEqual(s.meta.map((m) => m.name), R.meta.map((m) => m.name));
  for (const m of R.meta) {
    const got = s.meta.find((x) => x.name === m.name);
    assert.equal(got.forest.filter((f) => f.included).length, m.yi.length, `${m.name}: sites in the meta-analysis`);
    for (const k of ['coef', 'se', 'lower', 'upper']) {
      const log = k === 'lower' || k === 'upper' ? Math.log : (x) => x; // the document's limits are HRs
      close6(log(got.fixed[k]), m.fixed[k], `${m.name} FE ${k}`);
      close6(log(got.random[k]), m.random[k], `${m.name} RE ${k}`);
    }
    closeP(got.fixed.p, m.fixed.p, `${m.name} FE p`);
    closeP(got.random.p, m.random.p, `${m.name} RE p`);
    // τ² and I² near 0: compared at τ²'s absolute tolerance (as the engine's own tests).
    assert.ok(Math.abs(got.random.tau2 - m.random.tau2) <= 1e-6 * Math.max(m.random.tau2, 1e-3), `${m.name} tau2`);
    assert.ok(Math.abs(got.random.i2 - m.random.i2) <= 1e-6 * Math.max(m.random.i2, 1), `${m.name} I2`);
  }
  // The exact site-stratified Cox model: coxph(Surv ~ treatment + covariates + strata(site)).
  assert.deepEqual(s.cox.terms.map((t) => t.name), R.cox.names);
  s.cox.terms.forEach((t, i) => {
    close6(t.coef, R.cox.coef[i], `${t.name} coef`);
    close6(t.se, R.cox.se[i], `${t.name} se`);
    close6(t.hr, Math.exp(R.cox.coef[i]), `${t.name} hr`);
  });
  close6(s.cox.loglik.null, R.cox.loglik[0], 'loglik null');
  close6(s.cox.loglik.fit, R.cox.loglik[1], 'loglik fit');
  assert.equal(s.cox.round, R.cox.iter, 'Newton iterations as coxph');
  assert.deepEqual([s.cox.n, s.cox.n_events], [R.cox.n, R.cox.n_events]);
  // On the page: converged, the Cox terms, the meta-analysis, both figures drawn.
  const rounds = await page.$eval('#sites-rounds', (d) => ({ ...d.dataset, text: d.textContent }));
  assert.equal(rounds.converged, 'true');
  assert.match(rounds.text, /^Converged after \d+ rounds/);
  const coxShown = await page.$$eval('#sites-cox [data-field="hr"]', (c) => c.map((x) => [x.dataset.term, Number(x.dataset.value)]));
  assert.deepEqual(coxShown, s.cox.terms.map((t) => [t.name, t.hr]));
  const meta = await page.$$eval('#sites-meta [data-field="random"]', (c) => c.map((x) => Number(x.dataset.value)));
  assert.deepEqual(meta, s.meta.map((m) => m.random?.hr ?? NaN).filter((x) => !Number.isNaN(x)));
  const figures = await page.$$eval('#sites-results canvas', (c) => c.map((x) => [x.dataset.figure, x.width > 0, x.height > 0]));
  assert.deepEqual(figures, [['sites_forest', true, true], ['sites_life_table', true, true]]);
  // The report of the pooled analysis: the engine's HTML, in English.
  const html = await saved(page, '#sites-export-report');
  assert.ok(html.includes('Pooled analysis of 3 sites') && html.includes('strata(site)') && html.includes('<svg'));
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.csp, []);
  assert.ok(log.requests.every((u) => u.startsWith(session.server.origin) || /^(blob|data):/.test(u)), 'nothing leaves the tab');
  writeFileSync(join(TMP, 'final.json'), JSON.stringify(SITES.map((x) => summaries[x])));

  // Screenshots: the coordinator at 1280 and 390 px, in English and Chinese.
  for (const [width, hash] of [[1280, ''], [390, ''], [1280, '#lang=zh'], [390, '#lang=zh']]) {
    const c = await coordinatorPage({ viewport: { width, height: 900 }, hash });
    await combine(c.page, SITES.map((x) => summaries[x]));
    await c.page.waitForTimeout(300);
    const lang = hash ? 'zh' : 'en';
    await c.page.locator('#coordinator').screenshot({ path: join(SHOTS, `sites-coordinator-${width}-${lang}.png`) });
    if (lang === 'zh' && width === 1280) {
      // The report of the pooled analysis follows the page's language.
      const zhReport = await saved(c.page, '#sites-export-report');
      assert.ok(zhReport.includes('<html lang="zh') && zhReport.includes('3 个中心的合并分析') && zhReport.includes('按中心分层的对数秩检验'));
    }
    if (lang === 'zh') {
      const title = await c.page.$eval('#coordinator-h', (h) => h.textContent);
      assert.equal(title, '合并中心汇总');
      const rText = await c.page.$eval('#sites-rounds', (d) => d.textContent);
      assert.match(rText, /^经 \d+ 轮后收敛/);
    }
    await c.context.close();
  }
  for (const site of SITES) await pages[site].context.close();
  // The site's card at 390 px in Chinese and in English, with its preview.
  for (const hash of ['', '#lang=zh']) {
    const p = await sitePage('C', { viewport: { width: 390, height: 900 }, hash });
    await exportSummary(p.page, 'C');
    await p.page.locator('#sites-card').screenshot({ path: join(SHOTS, `sites-site-390-${hash ? 'zh' : 'en'}.png`) });
    if (hash) assert.match(await p.page.$eval('#site-preview', (u) => u.textContent), /中心名称：C。/);
    await p.context.close();
  }
});

test('summaries of different protocols, edited summaries and other files are refused in plain words, in both languages', { skip: !haveCli && 'CLI not built', timeout: 600000 }, async () => {
  // Site C runs another protocol; A and B the study's (made by the CLI: the page's are the CLI's, above).
  const a = write('err-A.json', cli(['site', SITE_FILES.A, '--spec', PROTOCOL_PATH, '--site', 'A']));
  const b = write('err-B.json', cli(['site', SITE_FILES.B, '--spec', PROTOCOL_PATH, '--site', 'B']));
  const probe = await sitePage('C', { protocol: OTHER_PATH });
  const c = write('err-C.json', await exportSummary(probe.page, 'C'));
  await probe.context.close();
  const edited = write('err-edited.json', readFileSync(b, 'utf8').replace(/"n": (\d+)/, (m, n) => `"n": ${Number(n) + 1}`));
  const results = write('err-results.json', cli(['analyze', SITE_FILES.A, '--spec', PROTOCOL_PATH]));

  for (const hash of ['', '#lang=zh']) {
    const { page, context } = await coordinatorPage({ hash });
    const message = async (paths, drop = false) => {
      await combine(page, paths, { drop });
      await page.waitForSelector('#sites-error:not([hidden])');
      const shown = await page.$eval('#sites-error', (e) => ({ text: e.textContent, code: e.querySelector('code')?.textContent }));
      assert.ok(await page.$eval('#sites-results', (r) => r.hidden), 'no pooled result beside an error');
      await page.click('#sites-clear');
      await page.waitForSelector('#sites-error', { state: 'hidden' });
      return shown;
    };
    const mismatch = await message([a, b, c], true); // dropped on the view, not chosen
    assert.equal(await page.evaluate(() => window.survlensDebug.state.fileName), 'survlens-demo', 'a dropped summary is not opened as data');
    assert.equal(mismatch.code, 'sites_protocol_mismatch');
    for (const site of ['A', 'B', 'C']) assert.ok(mismatch.text.includes(site), `${hash}: ${mismatch.text}`);
    const checksum = await message([a, edited]);
    assert.equal(checksum.code, 'sites_checksum');
    assert.ok(checksum.text.includes('err-edited.json'), checksum.text);
    const other = await message([a, results]);
    assert.equal(other.code, 'sites_not_a_summary');
    assert.ok(other.text.includes('err-results.json'), other.text);
    if (hash) {
      // In Chinese: the core's sentences, not the English ones.
      for (const t of [mismatch.text, checksum.text, other.text]) assert.match(t, /[\u4e00-\u9fff]/, t);
      await combine(page, [a, b, c]);
      await page.waitForSelector('#sites-error:not([hidden])');
      await page.locator('#coordinator').screenshot({ path: join(SHOTS, 'sites-error-1280-zh.png') });
    } else {
      for (const t of [mismatch.text, checksum.text, other.text]) assert.doesNotMatch(t, /[\u4e00-\u9fff]/, t);
    }
    await context.close();
  }
});
