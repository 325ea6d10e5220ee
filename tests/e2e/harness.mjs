// Shared set-up for the end-to-end tests: a static server for dist/ and
// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.yaml': 'text/yaml', '.json': 'application/json' };

export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// A fresh page (own storage) that has the app loaded and analysed.
export async function open(b, url, { colorScheme = 'light', viewport = { width: 1400, height: 900 } } = {}) {
  const context = await b.newContext({ colorScheme, viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('main.app');
  return { context, page, errors };
}

export async function shot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Replaces the editor's text as a paste would, and waits for its analysis. */
export async function edit(page, value) {
  await page.evaluate((v) => {
    const area = document.querySelector('textarea.source');
    area.value = v;
    area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, value);
  await page.waitForTimeout(300); // the debounce, then one analysis
}

/** Runs the command line (built by `cargo test`), returning its output. */
export function cli(args) {
  const bin = join(ROOT, 'target/debug/retreat');
  try {
    return { status: 0, stdout: execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 }) };
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`${bin} is missing: run \`cargo build\` first`);
    return { status: e.status, stdout: e.stdout };
  }
}

/**
 * Serves dist/ and starts Chromium before a test file's tests, and stops both
 * after them. The returned object's `url` and `browser` are set once started.
 */
export function useApp() {
  const app = { url: undefined, browser: undefined, server: undefined };
  before(async () => {
    ({ server: app.server, url: app.url } = await serve());
    app.browser = await browser();
  });
  after(async () => {
    await app.browser?.close();
    app.server?.close();
  });
  return app;
}
