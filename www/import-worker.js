// The import worker (crates/web/src/importer.rs): the on-demand module
// retreat-import-web (crates/import-web), which the page never loads itself.
// It is started the first time the user pastes a table, drops a file or
// picks an export; its wasm is fetched and compiled here, off the page's
// first load and off the main thread. A module worker from the page's own
// origin (the page's `worker-src 'self'`).
//
// Asks: { id, import: { name, main, from, source, alone, skipped, files: [{ path, file | text }] } }
//    or { id, export: { text, to } }, or { id, link: { text } },
//    or { id, live: { plan, log, now, act, ... } }, or { id, linkLive: { plan, log } },
//    or { id, report: { text, mc } }, or { id, docs: { code } }.
// Answers: { id, ok } or { id, error }, as `importPlan` and `exportPlan` give.
import init, { importPlan, exportPlan, linkPlan, livePlan, linkLive, reportPlan, ruleDocs } from './retreat-import-web.js';

const ready = init({ module_or_path: new URL('./retreat-import-web_bg.wasm', import.meta.url) });

async function bytesOf({ file, text }) {
  if (file) return new Uint8Array(await file.arrayBuffer());
  return new TextEncoder().encode(text ?? '');
}

async function answer(asked) {
  await ready;
  if (asked.import) {
    const { files, ...ask } = asked.import;
    const contents = await Promise.all(files.map(bytesOf));
    return importPlan(ask, files.map((f) => f.path), contents);
  }
  if (asked.export) return exportPlan(asked.export.text, asked.export.to);
  if (asked.link) return linkPlan(asked.link.text);
  if (asked.live) return livePlan(asked.live);
  if (asked.report) return reportPlan(asked.report.text, asked.report.mc ?? null);
  if (asked.docs) return ruleDocs(asked.docs.code);
  if (asked.linkLive) return linkLive(asked.linkLive.plan, asked.linkLive.log);
  return { error: 'unknown request' };
}

self.onmessage = ({ data }) => {
  answer(data)
    .catch((e) => ({ error: `the importer failed: ${e}` }))
    .then((reply) => self.postMessage({ id: data.id, ...reply }));
};
