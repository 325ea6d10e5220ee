// Big plans without surprises: the odds in a web worker (typing never waits
// for them), and the Graph and the Timeline fitted to their panel, zoomed,
// panned and quick at 1,000 steps. The figures measured go to
// tests/e2e/artifacts/scale-figures.json.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, open, shot, edit, cli, ARTIFACTS } from './harness.mjs';
import { plan } from './synth.mjs';

const app = useApp();
const figures = {};

after(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(join(ARTIFACTS, 'scale-figures.json'), JSON.stringify(figures, null, 2) + '\n');
});

/** Budgets, in milliseconds (see each test for what was measured). */
const ODDS_300_MS = 2000;
const RENDER_1000_MS = 500;
const MOVE_1000_MS = 100;

const tab = (page, name) => page.click(`button[role=tab]:has-text("${name}")`);
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];
const median = (xs) => quantile(xs, 0.5);
const round = (xs) => xs.map((x) => Math.round(x * 10) / 10);

/** A file with `text`, for the command line. */
async function file(name, text) {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await writeFile(path, text);
  return path;
}

/**
 * The app opened on a link to `text` (made by the command line), every
 * request of the page recorded; `route` (pattern, handler) sees requests first.
 */
async function openText(text, name, { route } = {}) {
  const link = cli(['link', await file(name, text), '--base', app.url]).stdout.trim();
  const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
  if (route) await context.route(...route);
  const page = await context.newPage();
  const requests = [];
  const workers = [];
  const errors = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname.split('/').pop()));
  page.on('worker', (w) => workers.push(new URL(w.url()).pathname.split('/').pop()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(link);
  await page.waitForSelector('.summary');
  return { context, page, requests, workers, errors };
}

/**
 * Milliseconds from clicking `click` (or pressing `key` on `on`) in the page
 * to the frame after `ready` is in the page (the page's policy allows no
 * `eval`, so what to do is data).
 */
function timed(page, { click, key, on }, ready = 'body') {
  return page.evaluate(async ({ click, key, on, ready }) => {
    const start = performance.now();
    if (click) document.querySelector(click).click();
    else document.querySelector(on).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    await new Promise((done) => {
      const check = () => (document.querySelector(ready) ? done() : requestAnimationFrame(check));
      check();
    });
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return performance.now() - start;
  }, { click, key, on, ready });
}

/** The node nearest the middle of the graph's view: its step id. */
const middleNode = (page) => page.evaluate(() => {
  const svg = document.querySelector('.graph .zoom-view svg').getBoundingClientRect();
  const [cx, cy] = [svg.left + svg.width / 2, svg.top + svg.height / 2];
  const dist = (n) => {
    const r = n.getBoundingClientRect();
    return Math.hypot(r.left + r.width / 2 - cx, r.top + r.height / 2 - cy);
  };
  const node = [...document.querySelectorAll('.graph .node')].sort((a, b) => dist(a) - dist(b))[0];
  return node.getAttribute('aria-label').match(/^Step (\S+):/)[1];
});

const viewBox = (page, view) => page.getAttribute(`.${view} .zoom-view svg`, 'viewBox').then((v) => v.split(' ').map(Number));

// The crews the large example declares (crates/core/src/examples.rs).
const LARGE_CREW = 'crew: {Team 0: 2, Team 1: 2, Team 2: 3, Team 3: 4, Team 4: 2, Team 5: 3, Team 6: 2}\n';

test('the plans generated here are the core\'s: 300 steps and its crews give the app\'s large example', async () => {
  const { context, page } = await open(app.browser, app.url);
  await page.selectOption('.examples select', 'large');
  await page.waitForFunction(() => document.querySelector('textarea.source').value.includes('Synthetic plan of 300 steps'));
  assert.equal(await page.inputValue('textarea.source'), plan(300) + LARGE_CREW);
  await context.close();
});

test('the odds of the 300-step plan come from a worker started after the first load, within 2 s, with the command line\'s figures', async () => {
  const text = plan(300);
  const { context, page, requests, workers, errors } = await openText(text, 'plan-300.yaml');
  await page.waitForSelector('main[data-odds="done"]', { timeout: 20000 });
  // The worker was fetched after the app first painted (it was interactive).
  const [painted, fetched] = await page.evaluate(() => [
    performance.getEntriesByName('first-contentful-paint')[0].startTime,
    performance.getEntriesByType('resource').find((r) => r.name.endsWith('/odds-worker.js')).startTime,
  ]);
  assert.ok(fetched > painted, `worker fetched at ${fetched} ms, first paint at ${painted} ms`);
  figures.odds_300_steps_ms = Number(await page.getAttribute('main.app', 'data-odds-ms'));
  assert.deepEqual(workers, ['odds-worker.js']);
  // The worker runs the page's own wasm, sent to it compiled: no second download.
  assert.equal(requests.filter((r) => r.endsWith('.wasm')).length, 1, requests.join(' '));
  assert.ok(figures.odds_300_steps_ms <= ODDS_300_MS, `odds in ${figures.odds_300_steps_ms} ms`);

  const expected = JSON.parse(cli(['simulate', await file('plan-300.yaml', text), '--format', 'json']).stdout).monte_carlo;
  await tab(page, 'Odds');
  const headline = await page.textContent('.odds .headline');
  assert.match(headline, new RegExp(`in ${Math.round(expected.p_forward_fits * 100)}% of ${expected.runs} runs \\(seed ${expected.seed}\\)`));
  const rows = await page.locator('.odds-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[2].textContent]));
  assert.equal(rows.length, Object.keys(expected.p_rollback_fits).length);
  for (const [step, shown] of rows) {
    if (shown === 'no way back') continue;
    // Shown to 0.1%: the same runs give the same share.
    const share = Number(shown.replace('%', '')) / 100;
    assert.ok(Math.abs(share - expected.p_rollback_fits[step]) <= 0.0005 + 1e-9, `${step}: ${shown} in the app, ${expected.p_rollback_fits[step]} on the command line`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('without a worker the odds still come, from the page, with the same figures', async () => {
  const text = plan(60);
  const headline = async (opened) => {
    await opened.page.waitForSelector('main[data-odds="done"]', { timeout: 30000 });
    await tab(opened.page, 'Odds');
    return opened.page.textContent('.odds');
  };
  const withWorker = await openText(text, 'plan-60.yaml');
  const expected = await headline(withWorker);
  assert.deepEqual(withWorker.workers, ['odds-worker.js']);
  await withWorker.context.close();
  // The worker's script does not load.
  const without = await openText(text, 'plan-60.yaml', { route: ['**/odds-worker.js', (r) => r.abort()] });
  assert.equal(await headline(without), expected);
  assert.deepEqual(without.errors, []);
  await without.context.close();
  // The worker starts, but cannot load the page's code (only the page gets it).
  let glue = 0;
  const stuck = await openText(text, 'plan-60.yaml', { route: [/retreat-web-[0-9a-f]+\.js$/, (r) => (glue++ ? r.abort() : r.continue())] });
  assert.equal(await headline(stuck), expected);
  assert.ok(glue >= 2, `the glue was asked for ${glue} times`);
  assert.deepEqual(stuck.errors, []);
  await stuck.context.close();
});

test('typing stays fast while the odds run', async () => {
  const { context, page } = await openText(plan(300) + '# notes', 'plan-300-notes.yaml');
  // The delay of every key press (from the browser getting it to the page
  // handling it), the odds' state at that moment, and every long task.
  await page.evaluate(() => {
    window.__keys = [];
    window.__long = [];
    document.querySelector('textarea.source').addEventListener('keydown', (e) => {
      window.__keys.push([performance.now() - e.timeStamp, document.querySelector('main.app').dataset.odds]);
    }, { capture: true });
    new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  await page.focus('textarea.source');
  await page.keyboard.press('Control+End');
  const analyses = [];
  for (let burst = 0; burst < 8; burst++) {
    await page.waitForSelector('main[data-odds="running"]', { timeout: 10000 });
    await page.keyboard.type(' more', { delay: 25 });
    await page.waitForTimeout(260); // the debounce, the analysis, and the odds started again
    analyses.push(Number(await page.getAttribute('main.app', 'data-analysis-ms')));
  }
  const { keys, long } = await page.evaluate(() => ({ keys: window.__keys, long: window.__long }));
  const delays = keys.map(([d]) => d);
  const whileRunning = keys.filter(([, odds]) => odds === 'running').length;
  figures.keypress_delay_ms = {
    median: round([median(delays)])[0],
    p90: round([quantile(delays, 0.9)])[0],
    max: round([Math.max(...delays)])[0],
    presses: keys.length,
    while_odds_ran: whileRunning,
  };
  figures.analysis_300_steps_while_odds_ms = round(analyses);
  figures.long_tasks_while_typing_ms = round(long);
  // Each burst starts once the odds run; in antithetic pairs they settle
  // within a few hundred milliseconds, so only some presses meet them.
  assert.ok(whileRunning >= 8, `${whileRunning} of ${keys.length} presses while the odds ran`);
  assert.ok(median(analyses) < 16, `median analysis ${median(analyses)} ms`);
  // Nine presses in ten made while the odds ran wait less than a frame
  // (with the odds in the page, a press could wait for a whole chunk of runs).
  const running = keys.filter(([, odds]) => odds === 'running').map(([d]) => d);
  assert.ok(quantile(running, 0.9) < 16, `key press delays while the odds ran ${round(running)} ms`);
  assert.match(await page.inputValue('textarea.source'), /# notes( more){8}$/);
  await context.close();
});

test('the 15-step graph fits its panel; zoom in, zoom out, fit, the keyboard, the wheel and a drag move it; a click still finds the step', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  await tab(page, 'Graph');
  await page.waitForSelector('.graph .zoom-view svg .node');
  const fit = await page.evaluate(() => {
    const panel = document.querySelector('.panel');
    const svg = document.querySelector('.graph .zoom-view svg').getBoundingClientRect();
    const inside = [...document.querySelectorAll('.graph .node')].every((n) => {
      const r = n.getBoundingClientRect();
      return r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5 && r.top >= svg.top - 0.5 && r.bottom <= svg.bottom + 0.5;
    });
    return { scroll: panel.scrollWidth, client: panel.clientWidth, inside };
  });
  assert.ok(fit.scroll <= fit.client, `the panel scrolls: ${fit.scroll} > ${fit.client}`);
  assert.ok(fit.inside, 'a node lies outside the view');
  assert.equal(await page.locator('.graph .node').count(), 15);
  await shot(page, 'graph-fit');

  const fitted = await viewBox(page, 'graph');
  await page.click('.graph .zoom-in');
  const closer = await viewBox(page, 'graph');
  assert.ok(closer[2] < fitted[2] * 0.8, `zoom in: ${closer} from ${fitted}`);
  await page.click('.graph .zoom-out');
  await page.click('.graph .zoom-out');
  const farther = await viewBox(page, 'graph');
  assert.ok(farther[2] > closer[2] * 1.5, `zoom out: ${farther} from ${closer}`);
  await page.click('.graph .zoom-fit');
  assert.deepEqual(await viewBox(page, 'graph'), fitted);

  // The keyboard: + zooms, an arrow moves, 0 fits.
  await page.focus('.graph .zoom-view');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const keyed = await viewBox(page, 'graph');
  assert.ok(keyed[2] < fitted[2] * 0.6, `+ twice: ${keyed}`);
  await page.keyboard.press('ArrowRight');
  assert.ok((await viewBox(page, 'graph'))[0] > keyed[0], 'ArrowRight moves the view right');
  await page.keyboard.press('0');
  assert.deepEqual(await viewBox(page, 'graph'), fitted);

  // The wheel zooms about the pointer; a drag pans (and is no click).
  const box = await page.locator('.graph .zoom-view svg').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((w) => Number(document.querySelector('.graph .zoom-view svg').getAttribute('viewBox').split(' ')[2]) < w, fitted[2] * 0.8);
  const selection = () => page.evaluate(() => {
    const t = document.querySelector('textarea.source');
    return t.value.slice(t.selectionStart, t.selectionEnd);
  });
  const nodeBox = (id) => page.locator(`.graph .node[aria-label^="Step ${id}:"]`).boundingBox();
  const before = await viewBox(page, 'graph');
  const selectedBefore = await selection();
  const pressed = await nodeBox(await middleNode(page));
  await page.mouse.move(pressed.x + pressed.width / 2, pressed.y + pressed.height / 2);
  await page.mouse.down();
  await page.mouse.move(pressed.x + pressed.width / 2 - 120, pressed.y + pressed.height / 2, { steps: 6 });
  await page.mouse.up();
  const dragged = await viewBox(page, 'graph');
  assert.ok(dragged[0] > before[0] + 50, `drag left moves the view right: ${dragged} from ${before}`);
  assert.equal(await selection(), selectedBefore, 'a drag that starts on a node does not select it');
  // A click on a node still finds the step in the text.
  const id = await middleNode(page);
  const clicked = await nodeBox(id);
  await page.mouse.click(clicked.x + clicked.width / 2, clicked.y + clicked.height / 2);
  assert.equal(await selection(), id);
  assert.equal(await page.getAttribute(`.graph .node[aria-label^="Step ${id}:"]`, 'aria-pressed'), 'true');
  await shot(page, 'graph-zoomed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a tablet screen, the graph and the timeline fit the page\'s width too', async () => {
  const { context, page } = await open(app.browser, app.url, { viewport: { width: 820, height: 1180 } });
  for (const [name, view] of [['Graph', 'graph'], ['Timeline', 'timeline']]) {
    await tab(page, name);
    await page.waitForSelector(`.${view} .zoom-view svg`);
    const [page_width, box] = await page.evaluate((v) => [document.documentElement.scrollWidth, document.querySelector(`.${v} .zoom-view`).getBoundingClientRect().right], view);
    assert.ok(page_width <= 820 && box <= 820, `${view}: the page is ${page_width} px wide, the view ends at ${box} px`);
  }
  await context.close();
});

test('the timeline fits its panel and zooms; a click on a bar still fails the step there', async () => {
  const { context, page } = await open(app.browser, app.url);
  await tab(page, 'Timeline');
  await page.waitForSelector('.timeline .zoom-view svg .forward');
  const panel = await page.evaluate(() => [document.querySelector('.panel').scrollWidth, document.querySelector('.panel').clientWidth]);
  assert.ok(panel[0] <= panel[1], `the panel scrolls: ${panel}`);
  const fitted = await viewBox(page, 'timeline');
  await page.click('.timeline .zoom-in');
  assert.ok((await viewBox(page, 'timeline'))[2] < fitted[2]);
  await page.click('.timeline .zoom-fit');
  assert.deepEqual(await viewBox(page, 'timeline'), fitted);
  await page.click('.timeline .forward:has(title:text-matches("^switch:")) rect');
  assert.match(await page.textContent('.timeline svg'), /switch fails 23:05/);
  await context.close();
});

test('1,000 steps: the Graph and the Timeline render within 500 ms, draw only what is in view, and move within 100 ms', async () => {
  const { context, page, errors } = await open(app.browser, app.url);
  await edit(page, plan(1000));
  await page.waitForFunction(() => document.querySelector('.summary').textContent.includes('of 1000 points'), null, { timeout: 10000 });
  const show = (name, selector) => timed(page, { click: `#tab-${name}` }, selector);
  const away = () => timed(page, { click: '#tab-Findings' }, '.findings');
  const renders = { graph: [], timeline: [] };
  for (let i = 0; i < 3; i++) {
    await away();
    renders.graph.push(await show('Graph', '.graph .node'));
    await away();
    renders.timeline.push(await show('Timeline', '.timeline .bar'));
  }
  figures.render_1000_steps_ms = { graph: round(renders.graph), timeline: round(renders.timeline) };
  assert.ok(median(renders.graph) < RENDER_1000_MS, `graph ${renders.graph}`);
  assert.ok(median(renders.timeline) < RENDER_1000_MS, `timeline ${renders.timeline}`);

  for (const [view, item, words, name] of [['graph', '.node', '.node text', 'Graph'], ['timeline', '.bar', '.row-label', 'Timeline']]) {
    await tab(page, name);
    await page.waitForSelector(`.${view} ${item}`);
    const all = await page.locator(`.${view} ${item}`).count();
    assert.ok(all >= 1000, `${view}: ${all} drawn at fit`);
    // Fitted, 1,000 nodes are specks: shapes only, no text.
    assert.equal(await page.locator(`.${view} ${words}`).count(), 0);
    const moves = [];
    const button = (cls) => timed(page, { click: `.${view} .${cls}` });
    const key = (k) => timed(page, { key: k, on: `.${view} .zoom-view` });
    for (let i = 0; i < 10; i++) moves.push(await button('zoom-in'));
    for (let i = 0; i < 6; i++) moves.push(await key(i % 2 ? 'ArrowDown' : 'ArrowRight'));
    const near = await page.locator(`.${view} ${item}`).count();
    assert.ok(near < all / 2, `${view}: ${near} of ${all} drawn zoomed in`);
    assert.ok(await page.locator(`.${view} ${words}`).count() > 0, `${view}: no words zoomed in`);
    await shot(page, `${view}-1000-zoomed`);
    moves.push(await button('zoom-fit'));
    figures[`move_1000_steps_${view}_ms`] = round(moves);
    assert.ok(median(moves) < MOVE_1000_MS, `${view}: ${moves}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
