// Development aid: screenshots of the page at 1280×800.
//   node tests/browser/screenshot.mjs OUT.png [--fixture] [--ci] [--kmunicate]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launch, probedPage, waitForResult } from './helpers.mjs';

const out = process.argv[2] ?? '/tmp/survlens.png';
const server = await startServer();
const { browser, close } = await launch();
try {
  const { page, log } = await probedPage(browser);
  const t0 = Date.now();
  await page.goto(server.url);
  await waitForResult(page).catch(() => {});
  console.log('load to result (ms):', Date.now() - t0, 'figureAt:', await page.evaluate(() => document.body.dataset.figureAt));
  if (process.argv.includes('--fixture')) {
    const report = JSON.parse(readFileSync(join(ROOT, 'tests/browser/fixtures/sample_report.json'), 'utf8'));
    if (process.argv.includes('--ci')) await page.check('#opt-ci');
    if (process.argv.includes('--kmunicate')) await page.selectOption('#opt-table', 'kmunicate');
    await page.evaluate((r) => window.survlensDebug.showReport(r), report);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: out, fullPage: process.argv.includes('--full') });
  console.log(JSON.stringify(log, null, 1), await page.evaluate(() => window.__csp));
} finally {
  await close();
  server.stop();
}
