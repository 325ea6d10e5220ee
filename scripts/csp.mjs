// Trunk post-build hook: adds a Content-Security-Policy to index.html that
// allows no inline or remote script beyond the one loader Trunk writes, which
// is allowed by its hash. Run by Trunk with TRUNK_STAGING_DIR set.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
let html = readFileSync(file, 'utf8');
const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (scripts.length !== 1) {
  console.error(`csp.mjs: expected one inline loader script, found ${scripts.length}`);
  process.exit(1);
}
const hash = createHash('sha256').update(scripts[0], 'utf8').digest('base64');
const policy = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${hash}' 'wasm-unsafe-eval'`,
  // The odds' worker (www/odds-worker.js), a module worker from this origin.
  "worker-src 'self'",
  "style-src 'self'",
  // Widths of bars are set as style attributes; CSS in an attribute cannot run script.
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`);
writeFileSync(file, html);
console.log(`csp.mjs: policy added (loader sha256-${hash})`);
