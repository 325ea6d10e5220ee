// End-to-end tests of the change-board workflow: the approval document and
// its print, sign-off by hash, comparing versions, and links made by the
// command line and by the app being one format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, open, shot, edit, cli, ROOT, ARTIFACTS } from './harness.mjs';

const app = useApp();

const EXAMPLE = join(ROOT, 'www/examples/hl7-engine-replacement.yaml');
const example = () => readFile(EXAMPLE, 'utf8');
const text = (page) => page.inputValue('textarea.source');
const tab = (page, name) => page.click(`button[role=tab]:has-text("${name}")`);

test('the approval document reads as the command line writes it, and prints on A4 and Letter', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  await page.waitForSelector('main[data-odds="done"]', { timeout: 20000 });
  await tab(page, 'Report');
  const doc = page.locator('.report-document');
  await doc.waitFor();
  const cliDoc = cli(['report', EXAMPLE]).stdout;
  for (const heading of cliDoc.match(/^## .*$/gm)) {
    assert.match(await doc.textContent(), new RegExp(heading.slice(3).replace(/[()]/g, '\\$&')));
  }
  // The same figures as the command line, Monte Carlo included.
  const simulation = cliDoc.split('## Simulation')[1].split('##')[0].match(/^- .*$/gm).map((l) => l.slice(2));
  assert.equal(simulation.length, 3);
  for (const line of simulation) assert.ok((await doc.textContent()).includes(line), line);
  const hash = JSON.parse(cli(['lint', EXAMPLE, '--format', 'json']).stdout).plan_hash;
  assert.equal(await page.textContent('.plan-hash'), hash);
  assert.match(await doc.textContent(), new RegExp(hash));
  await shot(page, 'report');

  await page.emulateMedia({ media: 'print' });
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'report-print.png'), fullPage: true });
  // Nothing but the document is printed.
  for (const hidden of ['.editor', '.tabs', '.report-tools', '.sign-off', '.top']) {
    assert.equal(await page.locator(hidden).evaluate((e) => getComputedStyle(e).display), 'none', hidden);
  }
  for (const format of ['A4', 'Letter']) {
    const pdf = await page.pdf({ format, printBackground: true });
    await writeFile(join(ARTIFACTS, `approval-${format}.pdf`), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 2 && pages <= 8, `${format}: ${pages} pages`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile plan text stays text in the approval document', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  const hostile = (await example()).replace(
    /^title: .*$/m,
    'title: "<img src=x onerror=window.pwned=1> **bold** javascript:alert(1)"',
  );
  await edit(page, hostile);
  await tab(page, 'Report');
  await page.locator('.report-document').waitFor();
  assert.equal(await page.locator('.report-document img').count(), 0);
  assert.match(await page.textContent('.report-document h1'), /<img src=x onerror=window.pwned=1> \*\*bold\*\*/);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an approval entry signs the plan off, and a later change says what changed', async () => {
  const { context, page } = await open(app.browser, app.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  const original = await example();
  // A plan without approvals: the app still shows its hash.
  const unsigned = original.replace(/^approvals:\n(  .*\n)+/m, 'approvals:\n');
  await edit(page, unsigned);
  await tab(page, 'Report');
  const hash = await page.textContent('.plan-hash');
  assert.match(hash, /^sha256:[0-9a-f]{64}$/);
  assert.match(await page.textContent('.sign-off'), /`by` is empty/);
  await page.fill('.sign-off-form label:has-text("Approved by") input', 'Dana "DJ" O\'Neil');
  await page.fill('.sign-off-form label:has-text("Role") input', 'Change board chair');
  await page.fill('.sign-off-form label:has-text("Date") input', '2026-12-01');
  const stanza = await page.textContent('.stanza');
  assert.equal(stanza, `  - by: "Dana \\"DJ\\" O'Neil"\n    role: "Change board chair"\n    date: 2026-12-01\n    plan_hash: ${hash}\n`);
  await page.click('button:has-text("Copy the approval entry")');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), stanza);

  // Pasted in: approved, and the hash does not move.
  const signed = unsigned.replace('approvals:\n', `approvals:\n${stanza}`);
  await edit(page, signed);
  await tab(page, 'Findings');
  assert.equal(await page.locator('.finding', { hasText: 'C005' }).count(), 0);
  assert.doesNotMatch(await page.textContent('.summary'), /C005/);

  // Changed after approval: C005, naming the change.
  await edit(page, signed.replace('takes: [10m, 15m, 40m]', 'takes: [15m, 25m, 40m]'));
  const c005 = page.locator('.finding', { hasText: 'C005' });
  await c005.first().waitFor();
  const message = await c005.first().textContent();
  assert.match(message, /since then, `[^`]+` changed \(takes\)/, message);
  await shot(page, 'stale-approval');
  await context.close();
});

test('compare: a link made on the command line against the draft, with the figures that moved', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  const original = await example();
  const slower = original.replace('takes: [10m, 15m, 40m]', 'takes: [45m, 60m, 90m]');
  assert.notEqual(slower, original);
  const file = join(ARTIFACTS, 'slower.yaml');
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(file, slower);
  const link = cli(['link', file, '--base', app.url]).stdout.trim();
  await tab(page, 'Compare');
  await page.fill('#compare-link', link);
  await page.click('.compare-link button');
  const diff = page.locator('.diff');
  await diff.waitFor();
  const expected = JSON.parse(cli(['diff', link, EXAMPLE, '--format', 'json']).stdout);
  assert.ok(expected.changed.length > 0 && expected.figures.length > 0);
  const rows = await page.locator('.diff-table.figures tbody tr').allTextContents();
  assert.deepEqual(rows, expected.figures.map((f) => f.field + f.before + f.after));
  for (const c of expected.changed) assert.match(await diff.textContent(), new RegExp(c.step));
  await shot(page, 'compare');

  // A link that is not one changes nothing and says why.
  await page.fill('#compare-link', app.url + '#v1.broken');
  await page.click('.compare-link button');
  assert.match(await page.textContent('.compare .notice.error'), /Could not open the link/);
  assert.equal(await text(page), original);
  assert.deepEqual(errors, []);
  await context.close();
});

test('compare with the draft kept aside when an example was opened over it', async () => {
  const { context, page } = await open(app.browser, app.url);
  const mine = (await example()).replace('CHG-2026-0412', 'CHG-MINE');
  await edit(page, mine);
  await page.selectOption('.examples select', 'mistake-no-undo.yaml');
  await tab(page, 'Compare');
  await page.click('button:has-text("Compare with the draft kept aside")');
  assert.match(await page.textContent('.diff-summary'), /change_ref/);
  await context.close();
});

test('links: the command line opens what the app shares, and the app opens what the command line shares', async () => {
  // Command line to app.
  const plan = (await example()).replace('CHG-2026-0412', 'CHG-FROM-CLI');
  const file = join(ARTIFACTS, 'from-cli.yaml');
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(file, plan);
  const link = cli(['link', file, '--base', app.url]).stdout.trim();
  const fromCli = await open(app.browser, link);
  assert.equal(await text(fromCli.page), plan);
  await fromCli.context.close();

  // App to command line, with text the codec must carry exactly.
  const { context, page } = await open(app.browser, app.url);
  const own = plan.replace('CHG-FROM-CLI', 'CHG-FROM-APP') + '# ünïcödé, tabs\tand "quotes" \u202e\n';
  await edit(page, own);
  await page.click('button:has-text("Copy link")');
  const appLink = await page.inputValue('.link-text');
  assert.equal(cli(['open', appLink]).stdout, own);
  // The same text gives the same link either way.
  await writeFile(file, own);
  assert.equal(cli(['link', file, '--base', app.url]).stdout.trim(), appLink);
  await context.close();
});

test('the app serves the editor schema next to itself', async () => {
  const res = await fetch(new URL('retreat-plan.schema.json', app.url));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), await readFile(join(ROOT, 'www/retreat-plan.schema.json'), 'utf8'));
});

test('the app core and the command line give the same lint result, for every example and bad-corpus plan', async () => {
  const { context, page } = await open(app.browser, app.url);
  const { readdir } = await import('node:fs/promises');
  const dirs = ['www/examples', 'tests/fixtures/bad'];
  let compared = 0;
  for (const dir of dirs) {
    for (const name of (await readdir(join(ROOT, dir))).filter((n) => /\.(ya?ml|json)$/.test(n)).sort()) {
      const path = join(ROOT, dir, name);
      const expected = cli(['lint', path, '--format', 'json']);
      if (expected.status === 2) continue; // not readable as text: the app never gets such a file
      const text = await readFile(path, 'utf8');
      const got = await page.evaluate(([t, f]) => window.wasmBindings.lint(t, f), [text, path]);
      assert.deepEqual(got, JSON.parse(expected.stdout), name);
      compared++;
    }
  }
  assert.ok(compared >= 150, `${compared} plans compared`);
  await context.close();
});
