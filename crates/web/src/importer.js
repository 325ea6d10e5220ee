// Bound by importer.rs (which says what each does), in the first load: so
// only what must happen while an event lasts, and a loader for the rest.
let page;
let reply;
const load = () => (page ??= import(new URL('import-page.js', document.baseURI).href));
export function answerTo(f) { reply = f; }
function run(id, f) {
  load().then(f).then((a) => reply(id, a), (e) => reply(id, { error: `the importer did not load (${e?.message ?? e})` }));
}
export function takeDrop(dt) {
  const entries = [...(dt?.items ?? [])].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  return entries.length ? { entries } : { files: [...(dt?.files ?? [])] };
}
export function takePicked(input) {
  const files = [...(input.files ?? [])];
  input.value = '';
  return { files };
}
const PLAN_KEYS = /^\s*(- )?(id|steps|title|window|version|rollback|baseline|approvals|allow|do|undo|takes|after):( |$)/;
const MARKDOWN = /^\s*(#{1,3} |[-*+] |\d+[.)] |\|)/;
export function pastedKind(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (lines.length < 2 || /^\s*[{[]/.test(text) || lines.some((l) => PLAN_KEYS.test(l))) return undefined;
  if (lines[0].includes('\t') && lines.filter((l) => l.includes('\t')).length >= 2) return 'spreadsheet';
  return lines.filter((l) => MARKDOWN.test(l)).length >= 2 ? 'markdown' : undefined;
}
export function pasteToImport(e) {
  const text = e.clipboardData?.getData('text/plain') ?? '';
  const kind = pastedKind(text);
  if (!kind) return undefined;
  e.preventDefault();
  const el = e.target;
  return { kind, text, asText: el.value.slice(0, el.selectionStart) + text + el.value.slice(el.selectionEnd) };
}
export const importTaken = (id, taken) => run(id, (m) => m.importTaken(taken));
export const importPasted = (id, p) => run(id, (m) => m.importPasted(p));
export const exportPlan = (id, text, to) => run(id, (m) => m.exportPlan(text, to));
export const linkPlan = (id, text) => run(id, (m) => m.linkPlan(text));
export const liveAsk = (id, q) => run(id, (m) => m.liveAsk(q));
export const linkLive = (id, plan, log) => run(id, (m) => m.linkLive(plan, log));
export function readPicked(id, input) {
  const f = input.files?.[0];
  input.value = '';
  if (f) f.text().then((t) => reply(id, { ok: t }), (e) => reply(id, { error: `the file could not be read (${e})` }));
}
export function notify(text) {
  try { if (window.Notification?.permission === 'granted') new Notification('Retreat', { body: text }); } catch (e) { /* no notifications here */ }
}
export const askToNotify = () => window.Notification?.requestPermission?.();
export const reportOf = (id, text, mc) => run(id, (m) => m.reportOf(text, mc));
export const docsOf = (id, code) => run(id, (m) => m.docsOf(code));
