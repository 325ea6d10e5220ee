// What a paste into the editor is offered to the importer as: the app's
// `pastedKind` (crates/web/src/importer.js), run here in Node itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { pastedKind } from '../../crates/web/src/importer.js';

test('a spreadsheet range (tab separated, as spreadsheets copy) is offered to the importer', async () => {
  assert.equal(pastedKind('Step\tTask\tDuration\n1\tStop the feed\t5m\n'), 'spreadsheet');
  assert.equal(pastedKind(await readFile(join(ROOT, 'tests/fixtures/import/csv/project-export.tsv'), 'utf8')), 'spreadsheet');
});

test('a Markdown checklist or table is offered to the importer', async () => {
  assert.equal(pastedKind('# Cut-over\n\n1. Stop the feed (5m)\n2. Switch (10m)\n'), 'markdown');
  assert.equal(pastedKind('- [ ] Stop the feed\n- [ ] Switch\n'), 'markdown');
  assert.equal(pastedKind('| Do | Takes |\n|---|---|\n| Stop | 5m |\n'), 'markdown');
  for (const f of ['wiki-checklist.md', 'bullets.md', 'runbook-table.md']) {
    assert.equal(pastedKind(await readFile(join(ROOT, 'tests/fixtures/import/markdown', f), 'utf8')), 'markdown', f);
  }
});

test('plan text, a piece of it, JSON and plain text are pasted as they are', async () => {
  assert.equal(pastedKind('  - id: stop\n    do: Stop the feed\n'), undefined);
  assert.equal(pastedKind('title: x\nsteps:\n  - id: a\n'), undefined);
  assert.equal(pastedKind('{"steps": []}\n{}'), undefined);
  assert.equal(pastedKind('one line\twith a tab'), undefined);
  assert.equal(pastedKind('just some words\nand more words\n'), undefined);
  assert.equal(pastedKind('a\tb\nno tab here\n'), undefined);
  for (const f of (await readdir(join(ROOT, 'www/examples'))).filter((f) => f.endsWith('.yaml'))) {
    assert.equal(pastedKind(await readFile(join(ROOT, 'www/examples', f), 'utf8')), undefined, f);
  }
});
