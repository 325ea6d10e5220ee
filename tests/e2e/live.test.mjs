// End-to-end tests of the live window: start it on the built-in example,
// record steps with edited times, watch the deadline and the countdown,
// reload, call the rollback and tick its undos, then check that
// `retreat forecast` on the downloaded log says what the page said, and
// that a link carries the plan and its log to another browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, shot, cli, ROOT, ARTIFACTS } from './harness.mjs';

const app = useApp();
const EXAMPLE = join(ROOT, 'www/examples/hl7-engine-replacement.yaml');
/** The example's window opens at 22:00Z on this day. */
const at = (hhmm, day = '2026-12-05') => new Date(`${day}T${hhmm}:00Z`);
const tab = (page, name) => page.click(`button[role=tab]:has-text("${name}")`);
const row = (page, step, undo = false) => page.locator(`tr[data-step="${step}"]${undo ? '[data-undo]' : ':not([data-undo])'}`);
const says = (page) => page.locator('.live-say').allTextContents();

/** Waits until the board has drawn `step`'s row with `status`. */
async function status(page, step, want, undo = false) {
  await page.waitForFunction(
    ([s, w, u]) => document.querySelector(`tr[data-step="${s}"]${u ? '[data-undo]' : ':not([data-undo])'}`)?.className === `live-${w}`,
    [step, want, undo],
    { timeout: 10000 },
  );
}

/** The page's "now", as the app reads it, for each step of the test. */
async function clock(page, time) {
  await page.clock.setFixedTime(time);
}

test('a live window: recorded, re-forecast, counted down, reloaded, rolled back and agreed with the CLI', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  // Notifications, recorded: the page asks for them and sends them.
  await context.addInitScript(() => {
    window.sent = [];
    window.Notification = class {
      static permission = 'granted';
      static requestPermission() { return Promise.resolve('granted'); }
      constructor(title, options) { window.sent.push(options?.body ?? title); }
    };
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.clock.setFixedTime(at('22:00'));
  await page.goto(app.url);
  await page.waitForSelector('main.app');

  await tab(page, 'Live');
  await page.click('button:has-text("Start the window")');
  await page.waitForSelector('.live-board[data-state="ahead"]');
  // The countdown is in the header, on every tab.
  assert.match(await page.textContent('.countdown'), /^Call a rollback by 02:35 · 4:35:\d\d left$/);
  const planned = await says(page);
  assert.ok(planned.some((s) => s.startsWith('Call a rollback by 02:35 (in 4 h 35 min)')), planned.join('\n'));

  // A mis-click, taken back.
  await page.click('button[aria-label="Start open-bridge"]');
  await status(page, 'open-bridge', 'running');
  await page.click('.live-tools button:has-text("Undo")');
  await status(page, 'open-bridge', 'waiting');

  // open-bridge from 22:00, done at 22:07; then the time typed as 22:09.
  await page.click('button[aria-label="Start open-bridge"]');
  await status(page, 'open-bridge', 'running');
  await clock(page, at('22:07'));
  const clicked = Date.now();
  await page.click('button[aria-label="open-bridge is done"]');
  await status(page, 'open-bridge', 'done');
  // How long a click takes to show, the module loaded (a figure, not a budget).
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(join(ARTIFACTS, 'live-figures.json'), JSON.stringify({ click_to_board_ms: Date.now() - clicked }) + '\n');
  const finished = row(page, 'open-bridge').locator('input[data-mark="finished"]');
  assert.equal(await finished.inputValue(), '22:07');
  await finished.fill('22:09');
  await finished.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('tr[data-step="open-bridge"]')?.textContent.includes('4 min late'));
  // baseline runs four hours past its planned ten minutes: everything
  // after it starts later, and the deadline moves.
  await page.click('button[aria-label="Start baseline"]');
  await status(page, 'baseline', 'running');
  const now = at('02:20', '2026-12-06');
  await clock(page, now);
  await page.click('button[aria-label="baseline is done"]');
  await status(page, 'baseline', 'done');
  const late = await says(page);
  const call = late.find((s) => s.startsWith('Call a rollback by'));
  assert.ok(call && !call.startsWith('Call a rollback by 02:35'), late.join('\n'));
  const deadline = call.match(/^Call a rollback by (\d\d:\d\d)/)[1];
  await shot(page, 'live-board');

  // The countdown turns amber 15 minutes before the deadline, red after,
  // with a notification each time.
  const [h, m] = deadline.split(':').map(Number);
  const minus = (mins) => {
    const d = at('22:00');
    d.setUTCHours(h, m - mins);
    if (h < 12) d.setUTCDate(d.getUTCDate() + 1);
    return d;
  };
  await clock(page, minus(10));
  await page.waitForSelector('.countdown.amber');
  await clock(page, minus(-1));
  await page.waitForSelector('.countdown.red');
  assert.match(await page.textContent('.countdown'), new RegExp(`^Rollback deadline ${deadline} passed 1 min ago$`));
  const sent = await page.evaluate(() => window.sent);
  assert.equal(sent.length, 2, sent.join('\n'));
  assert.match(sent[0], /15 minutes or less/);
  assert.match(sent[1], /has passed/);
  await clock(page, now);

  // A reload (or a crash) loses nothing.
  const before = await page.locator('.live-steps tbody tr').evaluateAll((rs) => rs.map((r) => r.className));
  await page.reload();
  await page.waitForSelector('.live-board');
  const after = await page.locator('.live-steps tbody tr').evaluateAll((rs) => rs.map((r) => r.className));
  assert.deepEqual(after, before);
  // Undo still takes back the changes made before the reload, one by one.
  await page.click('.live-tools button:has-text("Undo")');
  await status(page, 'baseline', 'running');
  await page.click('.live-tools button:has-text("Undo")');
  await status(page, 'baseline', 'waiting');
  await clock(page, at('22:07'));
  await page.click('button[aria-label="Start baseline"]');
  await status(page, 'baseline', 'running');
  await clock(page, now);
  await page.click('button[aria-label="baseline is done"]');
  await status(page, 'baseline', 'done');

  // The page and `retreat forecast` on the downloaded log agree.
  const agree = async (name) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Download the log")')]);
    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, name);
    await download.saveAs(file);
    const board = cli(['forecast', EXAMPLE, '--log', file, '--runs', '1']).stdout;
    for (const line of await says(page)) assert.ok(board.includes(line), `${line}\nnot in\n${board}`);
    return readFile(file, 'utf8');
  };
  const log = await agree('live-log.yaml');
  assert.match(log, /as_of: 2026-12-06T02:20:00Z/);
  assert.match(log, /\{ step: open-bridge, started: 2026-12-05T22:00:00Z, finished: 2026-12-05T22:09:00Z \}/);

  // The link carries the plan and the log: another browser sees the board.
  await page.click('button:has-text("Copy link with the log")');
  await page.waitForSelector('.notice:has-text("run log")');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#v1\.[\w-]+&log=v1\.[\w-]+$/);
  const other = await app.browser.newContext();
  const joined = await other.newPage();
  await joined.clock.setFixedTime(now);
  await joined.goto(link);
  await joined.waitForSelector('.live-board');
  assert.deepEqual(await says(joined), await says(page));
  await other.close();

  // Call the rollback: the runbook of what ran, undo by undo.
  await clock(page, at('02:25', '2026-12-06'));
  await page.fill('.live-tools input[aria-label="Why the rollback is called"]', 'the baseline checks ran an hour long');
  await page.click('button:has-text("Call the rollback")');
  await page.waitForSelector('.live-board[data-state="called"]');
  assert.match(await page.textContent('.countdown'), /Rollback under way/);
  const undos = await page.locator('tr[data-undo]').evaluateAll((rs) => rs.map((r) => r.dataset.step));
  assert.ok(undos.length >= 1, undos.join(' '));
  const first = undos[0];
  await clock(page, at('02:36', '2026-12-06'));
  await page.click(`button[aria-label="Start the undo of ${first}"]`);
  await status(page, first, 'running', true);
  await clock(page, at('02:41', '2026-12-06'));
  await page.click(`button[aria-label="The undo of ${first} is done"]`);
  await status(page, first, 'done', true);
  const rolled = await says(page);
  assert.match(rolled[0], /^Rollback called at 02:25 \(the baseline checks ran an hour long\): 1 of \d+ undos done/);
  const final = await agree('live-rolled-back.yaml');
  assert.match(final, /rollback_called: 2026-12-06T02:25:00Z, note: the baseline checks ran an hour long/);
  assert.match(final, new RegExp(`\\{ undo: ${first}, started: 2026-12-06T02:36:00Z, finished: 2026-12-06T02:41:00Z \\}`));
  await shot(page, 'live-rollback');

  // The downloaded log, loaded in a fresh browser, gives the same board.
  const fresh = await app.browser.newContext();
  const loaded = await fresh.newPage();
  await loaded.clock.setFixedTime(at('02:41', '2026-12-06'));
  await loaded.goto(app.url);
  await tab(loaded, 'Live');
  await loaded.setInputFiles('input[aria-label="Load a run log"]', join(ARTIFACTS, 'live-rolled-back.yaml'));
  await loaded.waitForSelector('.live-board[data-state="called"]');
  assert.deepEqual(await says(loaded), await says(page));
  await fresh.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs recording one window never overwrite each other', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const one = await context.newPage();
  await one.clock.setFixedTime(at('22:00')); // the context's clock: both tabs'
  await one.goto(app.url);
  await tab(one, 'Live');
  await one.click('button:has-text("Start the window")');
  await one.waitForSelector('.live-board');
  // A second tab opens the same window from storage.
  const two = await context.newPage();
  await two.goto(app.url);
  await two.waitForSelector('.live-board');
  // Each records something else: the second's log is kept apart, and said.
  await one.click('button[aria-label="Start open-bridge"]');
  await status(one, 'open-bridge', 'running');
  await two.click('button[aria-label="Start baseline"]');
  await status(two, 'baseline', 'running');
  await two.waitForSelector('.notice:has-text("Another tab changed the saved run log")');
  // Each tab's log survives its own reload.
  for (const [page, mine, theirs] of [[one, 'open-bridge', 'baseline'], [two, 'baseline', 'open-bridge']]) {
    await page.reload();
    await page.waitForSelector(`tr.live-running[data-step="${mine}"]`);
    assert.equal(await page.locator(`tr.live-running[data-step="${theirs}"]`).count(), 0, mine);
  }
  await context.close();
});
