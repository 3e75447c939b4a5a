// The hostile-input catalogue through the page (issue 25): every case of the Rust
// catalogue (tests/hostile_support, tests/robustness/hostile_*.rs; one source, written as
// JSON by `SURVLENS_HOSTILE_CASES=DIR cargo test --test robustness hostile`) runs through
// the page's engine (www/survlens.js: Engine.analyze on the bytes and the spec,
// Engine.load + siteSummary for a site, Engine.poolSites for site summaries). A case that
// the CLI reports on gives a result here too; a case that fails gives the same error kind,
// and the page shows its message (ui/errors.js, #form-error-message) in English and, after
// the language switch, in Chinese (the core's translation, not the English sentence).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startServer, launch, probedPage, waitForResult } from './helpers.mjs';

const DIR = process.env.SURVLENS_HOSTILE_CASES
  ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'hostile-cases');
const TAGS = ['hostile', 'hostile-more', 'hostile-sites'];

/** The catalogue as the Rust harness wrote it (written now when missing). */
function catalogue() {
  if (!TAGS.every((t) => existsSync(join(DIR, `${t}.json`)))) {
    const r = spawnSync('cargo', ['test', '--test', 'robustness', 'hostile', '-q'], {
      cwd: ROOT, env: { ...process.env, SURVLENS_HOSTILE_CASES: DIR }, stdio: 'inherit',
    });
    assert.equal(r.status, 0, 'the Rust catalogue runs and writes its cases');
  }
  return TAGS.flatMap((t) => JSON.parse(readFileSync(join(DIR, `${t}.json`), 'utf8')));
}

const CJK = /[\u4e00-\u9fff]/;

let server, browser, close;
before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

test('every case of the hostile catalogue: the CLI\'s outcome in the page, its error shown in English and Chinese', { timeout: 1_800_000 }, async () => {
  const cases = catalogue();
  assert.ok(cases.length >= 80, `${cases.length} cases`);
  assert.ok(readdirSync(DIR).length > cases.length);
  const { page, context, log } = await probedPage(browser);
  // The cases' bytes, served beside the page (same origin: the CSP's connect-src 'self').
  await page.route('**/__hostile/**', (route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.split('/__hostile/')[1]);
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: readFileSync(join(DIR, name)) });
  });
  await page.goto(server.url);
  await waitForResult(page);
  const failures = [];
  for (const c of cases) {
    const out = await page.evaluate(async (c) => {
      const api = await import('./survlens.js');
      const { showErrorWhere, clearErrors } = await import('./ui/errors.js');
      const { setLang } = await import('./ui/i18n.js');
      const w = /** @type {any} */ (window);
      w.__hostileEngine ??= new api.Engine();
      const engine = w.__hostileEngine;
      const bytes = async (f) => new Uint8Array(await (await fetch(`__hostile/${encodeURIComponent(f)}`)).arrayBuffer());
      try {
        if (c.run === 'analyze') {
          await engine.analyze(c.spec, await bytes(c.data));
        } else if (c.run === 'site') {
          await engine.load(await bytes(c.data));
          await engine.siteSummary(c.spec, c.site);
        } else {
          const texts = [];
          for (const f of c.files) texts.push(new TextDecoder().decode(await bytes(f.file)));
          await engine.poolSites(texts, c.files.map((f) => f.name));
        }
        return { ok: true };
      } catch (e) {
        const message = document.getElementById('form-error-message');
        setLang('en');
        showErrorWhere(e);
        const en = message.textContent;
        setLang('zh');
        const zh = message.textContent;
        setLang('en');
        clearErrors();
        document.getElementById('form-error').hidden = true;
        return { ok: false, kind: e.kind, en, zh, messages: e.messages ?? null };
      }
    }, c);
    const name = c.name;
    if (c.expect.report) {
      if (!out.ok) failures.push(`${name}: ${out.kind}: ${out.en}`);
      continue;
    }
    if (out.ok) { failures.push(`${name}: a result, expected ${c.expect.error}`); continue; }
    if (out.kind !== c.expect.error) failures.push(`${name}: kind ${out.kind}, expected ${c.expect.error}: ${out.en}`);
    for (const m of c.expect.mentions) if (!out.en.includes(m)) failures.push(`${name}: the page's message does not mention ${JSON.stringify(m)}: ${out.en}`);
    if (!out.messages || out.en !== out.messages.en) failures.push(`${name}: the page shows ${JSON.stringify(out.en)}, the core said ${JSON.stringify(out.messages?.en)}`);
    if (!CJK.test(out.zh) || out.zh === out.en || out.zh !== out.messages?.zh) failures.push(`${name}: the page's Chinese message: ${JSON.stringify(out.zh)}`);
  }
  await context.close();
  assert.deepEqual(failures, []);
  assert.deepEqual(log.csp, []);
});
