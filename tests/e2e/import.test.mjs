// End-to-end tests of import and export in the app: a pasted spreadsheet
// range, a dropped CSV file, a Liquibase changelog picked in the Import
// input, and every export in the Download menu. The importer and the
// exports are the on-demand module (crates/import-web), run in the import
// worker: none of it is in the first load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, open, shot, edit, ROOT } from './harness.mjs';

const app = useApp();
const text = (page) => page.inputValue('textarea.source');
const fixture = (path) => readFile(join(ROOT, 'tests/fixtures/import', path), 'utf8');
const MINE = 'title: My own draft\nsteps:\n  - id: a\n    do: Something of mine\n';

/** Pastes `value` into the editor as a spreadsheet's copy would. */
async function paste(page, value) {
  await page.evaluate((v) => {
    const area = document.querySelector('textarea.source');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', v);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, value);
}

/** Waits for an import to land: the panel of guesses and the analysis. */
async function imported(page) {
  await page.waitForSelector('.guesses');
  await page.waitForTimeout(100);
}

test('a pasted spreadsheet range becomes the plan, with its guesses, and the draft is kept aside', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  await edit(page, MINE);
  const tsv = await fixture('csv/project-export.tsv');
  await paste(page, tsv);
  await imported(page);
  const plan = await text(page);
  assert.match(plan, /^# Imported/m, plan.slice(0, 200));
  assert.match(plan, /Point the listener at the new engine/);
  assert.match(plan, /# guess:/);
  const guesses = page.locator('.guesses li.guess');
  assert.ok((await guesses.count()) >= 1);
  assert.match(await page.textContent('.guesses'), /from the pasted spreadsheet range \(csv\)/);
  assert.match(await page.textContent('.notice'), /kept aside/);
  // Its findings are the imported plan's.
  assert.match(await page.textContent('.summary'), /\d+ errors?|\d+ warnings?/);
  await shot(page, 'import-paste');
  // The draft comes back, and the guesses go with the plan they were about.
  await page.click('.notice button:has-text("Restore my draft")');
  await page.waitForTimeout(300);
  assert.equal(await text(page), MINE);
  assert.equal(await page.locator('.guesses').count(), 0);
  // Plan text is pasted as it is.
  await paste(page, '  - id: b\n    do: Another\n');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.guesses').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('pasted Markdown becomes the plan too', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  await paste(page, await fixture('markdown/wiki-checklist.md'));
  await imported(page);
  assert.match(await page.textContent('.guesses'), /from the pasted Markdown \(markdown\)/);
  assert.match(await text(page), /steps:/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a dropped CSV file becomes the plan; the guesses can be dismissed', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  await edit(page, MINE);
  const csv = await fixture('csv/messy-change-sheet.csv');
  await page.evaluate((body) => {
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([body], 'messy-change-sheet.csv', { type: 'text/csv' }));
    const target = document.querySelector('section.editor');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
  }, csv);
  await imported(page);
  assert.match(await page.textContent('.guesses'), /from `messy-change-sheet\.csv` \(csv\)/);
  assert.match(await text(page), /steps:/);
  assert.match(await page.textContent('.notice'), /kept aside/);
  await page.click('.guesses button.dismiss');
  assert.equal(await page.locator('.guesses').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Liquibase changelog picked in Import shows R001 on the changeSet without rollback', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  const changelog = await fixture('liquibase/changelog.yaml');
  await page.setInputFiles('.import-file input[type=file]', {
    name: 'changelog.yaml', mimeType: 'text/yaml', buffer: Buffer.from(changelog),
  });
  await imported(page);
  const panel = await page.textContent('.guesses');
  assert.match(panel, /from `changelog\.yaml` \(liquibase\)/);
  // The changelog includes another, which was not given; the panel says so.
  assert.match(panel, /not imported/);
  assert.match(panel, /Only the files given were read/);
  const r001 = page.locator('.finding.error', { hasText: 'R001' });
  await r001.first().waitFor();
  assert.match(await r001.first().textContent(), /step 3/);
  // The example it replaced is no draft of the user's: nothing kept aside.
  assert.doesNotMatch(await page.textContent('.notice'), /kept aside/);
  await shot(page, 'import-liquibase');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a dropped directory is read whole: a Sqitch project with its scripts', async () => {
  // No test can make a browser drop a real directory; the entries here are
  // stand-ins with the File and Directory Entries API's shape, handed to
  // the same code a drop's entries go to (www/import-page.js).
  const root = join(ROOT, 'tests/fixtures/import/sqitch/flipr');
  const files = {};
  for (const f of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) files[join(f.parentPath ?? f.path, f.name).slice(root.length + 1)] = await readFile(join(f.parentPath ?? f.path, f.name), 'utf8');
  }
  files['.git/HEAD'] = 'ref: refs/heads/main';
  files['logo.png'] = 'not read';
  const { context, page, errors } = await open(app.browser, app.url);
  const answer = await page.evaluate(async (files) => {
    const dir = (name, children) => ({
      name, isDirectory: true, isFile: false,
      createReader() { let done = false; return { readEntries(ok) { ok(done ? [] : children); done = true; } }; },
    });
    const file = (name, body) => ({ name, isDirectory: false, isFile: true, file(ok) { ok(new File([body], name)); } });
    const tree = (prefix) => {
      const names = new Set(Object.keys(files).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/')[0]));
      return [...names].map((n) => (files[prefix + n] !== undefined ? file(n, files[prefix + n]) : dir(n, tree(`${prefix}${n}/`))));
    };
    const page = await import(new URL('import-page.js', document.baseURI).href);
    return page.importTaken({ entries: [dir('flipr', tree(''))] });
  }, files);
  assert.equal(answer.error, undefined, answer.error);
  assert.equal(answer.source, 'the directory `flipr/`');
  assert.equal(answer.ok.format, 'sqitch');
  assert.match(answer.ok.heading, /^Imported 3 steps from the directory `flipr\/` \(sqitch\)/);
  // The hidden directory is not read at all; the picture is counted as not read.
  assert.match(answer.ok.list, /1 entry in `flipr` not read/);
  assert.match(answer.ok.yaml, /revert/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Download menu gives the plan as ics, mermaid, dot and csv', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  const first = { yaml: /^# Replacing the HL7 interface engine/, ics: /^BEGIN:VCALENDAR\r?$/, mermaid: /^flowchart LR$/, dot: /^digraph "Replace the HL7 interface engine" \{$/, csv: /^id,phase,kind,do,after,takes,/ };
  const names = { yaml: 'plan.yaml', ics: 'plan.ics', mermaid: 'plan.mmd', dot: 'plan.dot', csv: 'plan.csv' };
  for (const [format, line] of Object.entries(first)) {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15000 }),
      page.selectOption('.downloads select', format),
    ]);
    assert.equal(download.suggestedFilename(), names[format]);
    const body = await readFile(await download.path(), 'utf8');
    assert.match(body.split('\n')[0], line, `${format}: ${body.split('\n')[0]}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
