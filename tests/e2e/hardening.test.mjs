// Hostile plans and links, crashes, full storage and two tabs: the page must
// never run script from a plan, call out to the network, or lose work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, open, shot, edit, ROOT } from './harness.mjs';

const app = useApp();

const example = () => readFile(join(ROOT, 'www/examples/hl7-engine-replacement.yaml'), 'utf8');

const HOSTILE = `title: "<script>window.__pwned = 'title'</script> javascript:alert(1)"
window: {start: 2026-12-05T22:00:00Z, duration: 4h}
steps:
  - id: evil
    do: "<img src=x onerror=\\"window.__pwned='img'\\"> <a href=javascript:alert(1)>click</a>"
    takes: 5m
  - id: "re\\u202Everse"
    do: "Fetch https://attacker.example/steal?c=1 and <iframe src=https://attacker.example></iframe>"
    takes: 5m
  - id: switch
    kind: check
    do: Check the real switch, for the look-alike below
    takes: 5m
  - id: "sw\\u0456tch"
    kind: check
    do: "<svg onload=\\"window.__pwned='svg'\\"></svg> looks like switch"
    takes: 5m
`;

test('a hostile plan in a link runs no script and calls no one', async () => {
  // Make the link in one page, open it in another that watches everything.
  const maker = await open(app.browser, app.url);
  await edit(maker.page, HOSTILE);
  await maker.page.click('button:has-text("Copy link")');
  const link = await maker.page.inputValue('.link-text');
  await maker.context.close();

  const context = await app.browser.newContext();
  const page = await context.newPage();
  const dialogs = [], requests = [], errors = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(link);
  await page.waitForSelector('.summary');
  for (const tab of ['Findings', 'Graph', 'Timeline', 'Rehearse']) {
    await page.click(`button[role=tab]:has-text("${tab}")`);
    await page.waitForTimeout(150);
  }
  await page.click('button[role=tab]:has-text("Findings")');
  assert.equal(await page.inputValue('textarea.source'), HOSTILE);
  assert.deepEqual(dialogs, []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main img, main iframe, main a[href^="javascript"]').count(), 0);
  const origin = new URL(app.url).origin;
  assert.deepEqual(requests.filter((r) => !r.startsWith(origin) && !r.startsWith('blob:') && !r.startsWith('data:')), []);
  // The markup is shown as text, and hidden characters are written out.
  const findings = await page.textContent('.findings');
  assert.match(findings, /step `evil` changes the system/);
  assert.match(findings, /re\\u\{202e\}verse/);
  assert.match(findings, /not U\+0456; it looks like/);
  assert.deepEqual(errors, []);
  await shot(page, 'hostile');
  await context.close();
});

test('the page forbids inline and remote script', async () => {
  const { context, page } = await open(app.browser, app.url);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'/);
  const violations = [];
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(e.violatedDirective)));
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.appendChild(s);
    const r = document.createElement('script');
    r.src = 'https://attacker.example/x.js';
    document.body.appendChild(r);
  });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__inline), undefined);
  assert.ok(violations.some((v) => v.startsWith('script-src')), JSON.stringify(violations));
  await context.close();
});

test('a crash shows what happened and hands over the text', async () => {
  const { context, page } = await open(app.browser, app.url);
  const draft = (await example()).replace('CHG-2026-0412', 'CHG-BEFORE-CRASH');
  await edit(page, draft);
  await page.goto(app.url + '?debug-panic');
  await page.waitForSelector('#crash', { timeout: 5000 });
  assert.match(await page.textContent('#crash'), /Retreat stopped because of a bug/);
  assert.equal(await page.inputValue('#crash textarea'), draft);
  assert.match(await page.getAttribute('#crash a', 'href'), /^blob:/);
  await shot(page, 'crash');
  // And the draft is still there after the crash.
  await page.goto(app.url);
  await page.waitForSelector('.summary');
  assert.equal(await page.inputValue('textarea.source'), draft);
  await context.close();
});

test('full local storage keeps the text in the page and says so', async () => {
  const { context, page } = await open(app.browser, app.url);
  // Fill storage to the last byte: big blocks, then smaller and smaller.
  await page.evaluate(() => {
    let n = 0;
    for (let size = 1 << 20; size >= 1; size >>= 1) {
      const block = 'x'.repeat(size);
      for (;;) {
        try { localStorage.setItem('filler' + n++, block); } catch (e) { break; }
      }
    }
  });
  const draft = (await example()) + '\n# written when storage is full\n'.repeat(200);
  await edit(page, draft);
  await page.waitForSelector('.notice.error');
  assert.match(await page.textContent('.notice.error'), /could not be saved in this browser/);
  assert.equal(await page.inputValue('textarea.source'), draft);
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler')).forEach((k) => localStorage.removeItem(k)));
  await context.close();
});

test('two tabs editing never overwrite each other silently', async () => {
  const context = await app.browser.newContext();
  const one = await context.newPage();
  await one.goto(app.url);
  await one.waitForSelector('.summary');
  const two = await context.newPage();
  await two.goto(app.url);
  await two.waitForSelector('.summary');
  const base = await example();
  await edit(one, base.replace('CHG-2026-0412', 'CHG-TAB-ONE'));
  await edit(two, base.replace('CHG-2026-0412', 'CHG-TAB-TWO'));
  await two.waitForSelector('.notice.error');
  assert.match(await two.textContent('.notice.error'), /Another tab changed the saved draft/);
  await one.reload();
  await two.reload();
  await one.waitForSelector('.summary');
  await two.waitForSelector('.summary');
  assert.match(await one.inputValue('textarea.source'), /CHG-TAB-ONE/);
  assert.match(await two.inputValue('textarea.source'), /CHG-TAB-TWO/);
  await context.close();
});
