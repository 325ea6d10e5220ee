// End-to-end tests: the built app (dist/) in Debian's Chromium.
// Run with `node --test tests/e2e/` after `trunk build --release`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { useApp, open, shot, edit, DIST, ROOT, ARTIFACTS } from './harness.mjs';

const app = useApp();
const figures = {};

after(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(join(ARTIFACTS, 'figures.json'), JSON.stringify(figures, null, 2) + '\n');
});

const example = () => readFile(join(ROOT, 'www/examples/hl7-engine-replacement.yaml'), 'utf8');
const summary = (page) => page.textContent('.summary');
const text = (page) => page.inputValue('textarea.source');

test('the app opens on the hospital example with its findings', async () => {
  const started = Date.now();
  const { context, page, errors } = await open(app.browser, app.url);
  await page.waitForSelector('.summary');
  figures.interactive_ms = Date.now() - started;
  assert.equal(await text(page), await example());
  assert.equal(await summary(page), '0 errors, 0 warnings; rollback fits from 11 of 11 points; deadline 02:35');
  assert.match(await page.textContent('.overview'), /A rollback can still be called until 02:35/);
  await page.waitForSelector('main[data-odds="done"]', { timeout: 20000 });
  await shot(page, 'findings');
  assert.deepEqual(errors, []);
  // A figure, not a budget: timed assertions flake on a loaded 2-core
  // machine (640 to 1,250 ms for the same build). Only a hang fails here.
  assert.ok(figures.interactive_ms < 10000, `interactive after ${figures.interactive_ms} ms`);
  await context.close();
});

test('deleting an undo makes R001 appear at the right line', async () => {
  const { context, page } = await open(app.browser, app.url);
  const original = await example();
  const undo = '    undo:\n      do: Resume the inbound HL7 feed at the TCP listener and watch the queue drain\n      takes: 5m\n      sets: { hl7-feed: flowing }\n';
  assert.ok(original.includes(undo));
  const broken = original.replace(undo, '');
  await edit(page, broken);
  const line = broken.split('\n').findIndex((l) => l.includes('- id: stop-feed')) + 1;
  const r001 = page.locator('.finding.error', { hasText: 'R001' });
  await r001.first().waitFor();
  assert.match(await r001.first().textContent(), new RegExp(`line ${line}:9`));
  assert.match(await r001.first().textContent(), /step stop-feed/);
  assert.match(await page.getAttribute(`.gutter .line-number:nth-child(${line})`, 'class'), /error/);
  assert.match(await summary(page), /^\d+ errors?/);
  // Clicking the finding puts the cursor on the step's id.
  await r001.first().locator('.finding-main').click();
  const selected = await page.evaluate(() => {
    const t = document.querySelector('textarea.source');
    return t.value.slice(t.selectionStart, t.selectionEnd);
  });
  assert.equal(selected, 'stop-feed');
  await shot(page, 'findings-r001');
  await context.close();
});

test('fail here shows the rollback order and its clock times', async () => {
  const { context, page } = await open(app.browser, app.url);
  await page.click('button[role=tab]:has-text("Rehearse")');
  await page.selectOption('.rehearse select', { label: 'switch (fails at 23:05)' });
  const items = await page.locator('.runbook-item').allTextContents();
  const undos = items.filter((t) => t.includes('Undo'));
  assert.deepEqual(undos.map((t) => t.match(/Undo (\S+)/)[1]), ['switch', 'load-routes', 'stop-feed', 'install-engine']);
  assert.match(items[0], /23:05.*switch.*fails/s);
  assert.match(items[1], /23:05–23:15.*Call the rollback/s);
  assert.match(undos[0], /23:15–23:35/);
  assert.match(await page.textContent('.verdict'), /Done at 00:25, 3 h 35 min before the window closes at 04:00/);
  // The clock runs, and ticking an item records when.
  await page.click('.clock button');
  await page.locator('.runbook-item input[type=checkbox]').first().check();
  assert.match(await page.textContent('.runbook-item.done'), /ticked 23:05 — on time/);
  await shot(page, 'rehearse');
  await page.click('button[role=tab]:has-text("Timeline")');
  assert.match(await page.textContent('.timeline svg'), /switch fails 23:05/);
  await shot(page, 'timeline');
  await page.click('button[role=tab]:has-text("Graph")');
  assert.equal(await page.locator('.node').count(), 15);
  assert.equal(await page.locator('.node.failing').count(), 1);
  await shot(page, 'graph');
  await page.waitForSelector('main[data-odds="done"]', { timeout: 20000 });
  await page.click('button[role=tab]:has-text("Odds")');
  assert.match(await page.textContent('.odds .headline'), /inside the window in 100% of \d+ runs \(seed 1\)/);
  assert.equal(await page.locator('.histogram .bin').count(), 30);
  await shot(page, 'odds');
  await context.close();
});

test('a copied link opened in a fresh page shows the same plan', async () => {
  const { context, page } = await open(app.browser, app.url);
  const plan = (await example()).replace('title: Replace the HL7 interface engine', 'title: Replace the HL7 engine (shared)');
  await edit(page, plan);
  await page.click('button:has-text("Copy link")');
  const link = await page.inputValue('.link-text');
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);
  figures.link_length = link.length;
  await context.close();
  const fresh = await open(app.browser, link);
  assert.equal(await text(fresh.page), plan);
  assert.match(await fresh.page.textContent('.notice'), /Opened the shared plan/);
  await fresh.context.close();
});

test('a corrupt link shows an error and keeps the draft', async () => {
  const { context, page } = await open(app.browser, app.url);
  const draft = (await example()).replace('change_ref: CHG-2026-0412', 'change_ref: CHG-2026-9999');
  await edit(page, draft);
  await page.goto(app.url + '#v1.this-is-not-a-plan');
  await page.reload();
  await page.waitForSelector('.notice.error');
  assert.match(await page.textContent('.notice.error'), /Could not open the link: the link is damaged or cut short/);
  assert.equal(await text(page), draft);
  await page.goto(app.url + '#v9.future');
  await page.reload();
  assert.match(await page.textContent('.notice.error'), /newer version of Retreat/);
  assert.equal(await text(page), draft);
  await shot(page, 'corrupt-link');
  await context.close();
});

test('a reload keeps the draft', async () => {
  const { context, page } = await open(app.browser, app.url);
  const draft = (await example()) + '\n# a note added before the reload\n';
  await edit(page, draft);
  await page.reload();
  await page.waitForSelector('main.app');
  assert.equal(await text(page), draft);
  assert.match(await page.textContent('.notice'), /Your draft from last time is back/);
  await context.close();
});

test('opening a link over a draft keeps the draft restorable', async () => {
  const { context, page } = await open(app.browser, app.url);
  const draft = (await example()).replace('CHG-2026-0412', 'CHG-MINE');
  await edit(page, draft);
  // A link to a different plan, made in another page.
  const other = await open(app.browser, app.url);
  await edit(other.page, (await example()).replace('CHG-2026-0412', 'CHG-THEIRS'));
  await other.page.click('button:has-text("Copy link")');
  const link = await other.page.inputValue('.link-text');
  await other.context.close();
  await page.goto(link);
  await page.reload();
  assert.match(await text(page), /CHG-THEIRS/);
  await page.click('button:has-text("Restore my draft")');
  assert.match(await text(page), /CHG-MINE/);
  await context.close();
});

test('an edit of the 300-step plan is analysed within a frame', async () => {
  const { context, page } = await open(app.browser, app.url);
  await page.selectOption('.examples select', 'large');
  await page.waitForFunction(() => document.querySelector('textarea.source').value.includes('Synthetic plan of 300 steps'));
  const big = await text(page);
  const times = [];
  // Three edits to warm the engine up (as typing does), then nine measured.
  for (let i = 0; i < 12; i++) {
    await edit(page, big.replace('purpose: Benchmark', `purpose: Benchmark ${i}`));
    if (i >= 3) times.push(Number(await page.getAttribute('main.app', 'data-analysis-ms')));
  }
  times.sort((x, y) => x - y);
  figures.analysis_300_steps_ms = times;
  await shot(page, 'large');
  assert.ok(times[4] < 16, `median analysis ${times[4]} ms`);
  await context.close();
});

test('the first load (wasm and JavaScript) stays under 400 KB gzipped', async () => {
  // What the page loads before it is interactive: the files its loader and
  // preloads name, and the snippets its JavaScript glue imports. The odds'
  // worker (www/odds-worker.js) is fetched later, when the odds first run,
  // and runs the same wasm; the importer and the exports (the import
  // worker, its module retreat-import-web and www/import-page.js) only when
  // the user first imports or exports.
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const named = [...html.matchAll(/["'](?:\.\/)?([\w.-]+\.(?:js|wasm))["']/g)].map((m) => m[1]);
  assert.ok(named.some((f) => f.endsWith('.wasm')) && named.some((f) => f.endsWith('.js')), named.join(' '));
  const glue = await readFile(join(DIST, named.find((f) => f.endsWith('.js'))), 'utf8');
  const snippets = [...glue.matchAll(/from ['"]\.\/(snippets\/[^'"]+\.js)['"]/g)].map((m) => m[1]);
  const files = [...new Set([...named, ...snippets])];
  for (const later of ['odds-worker.js', 'import-worker.js', 'import-page.js', 'retreat-import-web.js', 'retreat-import-web_bg.wasm']) {
    assert.ok(!files.includes(later), files.join(' '));
  }
  const gz = async (f) => gzipSync(await readFile(join(DIST, f)), { level: 9 }).length;
  let total = 0;
  for (const f of files) total += await gz(f);
  figures.first_load_gzip_bytes = total;
  figures.odds_worker_gzip_bytes = await gz('odds-worker.js');
  figures.on_demand_import_gzip_bytes = {
    wasm: await gz('retreat-import-web_bg.wasm'),
    js: (await gz('retreat-import-web.js')) + (await gz('import-worker.js')) + (await gz('import-page.js')),
  };
  assert.ok(total <= 400 * 1024, `${total} bytes`);
});

test('dark colour scheme and a tablet screen render', async () => {
  const { context, page } = await open(app.browser, app.url, { colorScheme: 'dark', viewport: { width: 820, height: 1180 } });
  await page.waitForSelector('.summary');
  await shot(page, 'dark-tablet');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(251, 251, 250)');
  await context.close();
});
