// Starts `retreat lsp` for YAML files: the server does everything else.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('retreat');
  const args = ['lsp', ...config.get('severity', []).flatMap((s) => ['--severity', s])];
  const command = config.get('path', 'retreat');
  client = new LanguageClient(
    'retreat',
    'Retreat',
    { run: { command, args }, debug: { command, args } },
    { documentSelector: [{ scheme: 'file', language: 'yaml' }] },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
