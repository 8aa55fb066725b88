// Starts `gocodemod lsp` for Go and YAML files (see docs/editors.md).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("gocodemod");
  const command = settings.get("path") || "gocodemod";
  const docsBaseUrl = settings.get("docsBaseUrl");
  client = new LanguageClient(
    "gocodemod",
    "gocodemod",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "go" },
        { scheme: "file", language: "yaml" },
      ],
      initializationOptions: docsBaseUrl ? { docsBaseUrl } : {},
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
