// The page's end of the import worker (www/import-worker.js), loaded on
// demand by crates/web/src/importer.js the first time the user imports or
// exports (so none of it is in the first load): the worker's messages, and
// reading what was dropped or picked. A "given" is { name, main, files:
// [{ path, file | text }], skipped, alone }; every answer is { ok } or
// { error }, and an import's `ok` also says what it was called (`source`).
const EXTENSIONS = ['csv', 'tsv', 'tab', 'md', 'markdown', 'xml', 'yaml', 'yml', 'json', 'sql', 'plan'];
// As the command line reads a directory (crates/import/src/limits.rs).
const MAX_FILES = 10000;
const MAX_LEVELS = 12;
const wanted = (n) => !n.startsWith('.') && n.includes('.') && EXTENSIONS.includes(n.split('.').pop().toLowerCase());

let worker = null;
let next = 1;
const pending = new Map();

export function ask(message) {
  return new Promise((done) => {
    try {
      if (!worker) {
        worker = new Worker('import-worker.js', { type: 'module', name: 'import' });
        worker.onmessage = ({ data }) => {
          pending.get(data.id)?.(data);
          pending.delete(data.id);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          for (const d of pending.values()) d({ error: `the importer did not start (${e.message || 'its script did not load'})` });
          pending.clear();
          worker.terminate();
          worker = null;
        };
      }
      const id = next++;
      pending.set(id, done);
      worker.postMessage({ id, ...message });
    } catch (e) {
      done({ error: `the importer could not start (${e})` });
    }
  });
}

const call = (f) => new Promise((ok, err) => f(ok, err));

async function children(dir) {
  const reader = dir.createReader();
  const all = [];
  for (;;) {
    const batch = await call((ok, err) => reader.readEntries(ok, err));
    if (!batch.length || all.length > MAX_FILES) return all;
    all.push(...batch);
  }
}

// Files without the directory around them.
const alone = (files, how) => ({
  name: files.length === 1 ? '' : 'dropped files',
  main: files.length === 1 ? files[0].name : null,
  files: files.map((file) => ({ path: file.name, file })),
  skipped: 0,
  alone: how,
});

// What was taken from a drop or a picker (crates/web/src/importer.js): one
// directory dropped is a project, every file in it the formats use; files
// are themselves, without the directory around them.
async function read(taken) {
  if (taken.files) return alone(taken.files, 'picked'); // a picker, or no webkitGetAsEntry
  const [one] = taken.entries;
  if (taken.entries.length !== 1 || !one.isDirectory) {
    const files = await Promise.all(taken.entries.filter((e) => e.isFile).map((e) => call((ok, err) => e.file(ok, err))));
    return alone(files, 'dropped');
  }
  const files = [];
  let skipped = 0;
  const todo = [['', 0, one]];
  while (todo.length) {
    const [path, level, entry] = todo.pop();
    if (entry.isDirectory) {
      if (level >= MAX_LEVELS) { skipped++; continue; }
      for (const c of await children(entry)) {
        if (!c.name.startsWith('.')) todo.push([level ? `${path}/${c.name}` : c.name, level + 1, c]);
      }
    } else if (wanted(entry.name) && files.length < MAX_FILES) {
      files.push({ path, file: await call((ok, err) => entry.file(ok, err)) });
    } else {
      skipped++;
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: one.name, main: null, files, skipped, alone: null };
}

// What the notices call a given; undefined when it holds no file.
function describe(g) {
  if (!g.files.length) return undefined;
  if (g.main) return `\`${g.main}\``;
  return g.alone ? `${g.files.length} files` : `the directory \`${g.name}/\``;
}

async function imported(g, from, source) {
  return { ...(await ask({ import: { ...g, from, source } })), source };
}

export async function importTaken(taken) {
  let g;
  try {
    g = await read(taken);
  } catch (e) {
    return { error: `the dropped files could not be read (${e?.message ?? e})`, source: 'the files dropped' };
  }
  const source = describe(g);
  if (!source) return { error: 'nothing given is a spreadsheet, Markdown, Sqitch, Liquibase or Flyway file', source: 'the files given' };
  return imported(g, null, source);
}

// A paste (crates/web/src/importer.js `pasteToImport`), as one file named for its kind.
const PASTED = {
  spreadsheet: ['csv', 'Pasted spreadsheet.tsv', 'the pasted spreadsheet range'],
  markdown: ['markdown', 'Pasted checklist.md', 'the pasted Markdown'],
};
export function importPasted({ kind, text }) {
  const [from, name, source] = PASTED[kind];
  return imported({ name: '', main: name, files: [{ path: name, text }], skipped: 0, alone: null }, from, source);
}

// A rule's docs (Markdown), for the Findings panel (crates/web/src/findings.rs).
export const docsOf = (code) => ask({ docs: { code } });

// The Report tab's approval document (crates/web/src/report.rs).
export const reportOf = (text, mc) => ask({ report: { text, mc } });

// The Live tab (crates/web/src/live.rs): one click or look at the board.
export const liveAsk = (q) => ask({ live: q });
// The link that carries the plan and its run log (`{ ok: { fragment } }`).
export const linkLive = (plan, log) => ask({ linkLive: { plan, log } });

// The share-link fragment that carries `text` (`{ ok: { fragment } }`).
export const linkPlan = (text) => ask({ link: { text } });

// Writes the plan `text` as `to` in the worker and offers it as a download.
export async function exportPlan(text, to) {
  const answer = await ask({ export: { text, to } });
  if (!answer.ok) return answer;
  const url = URL.createObjectURL(new Blob([answer.ok.text], { type: answer.ok.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = answer.ok.file;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return { ok: answer.ok.file };
}
