/** "Open Configuration": the `.medsec.json` that applies to the active file, or a new one for its folder. */
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, CONFIG_TEMPLATE, configCandidates } from './presentation';

export async function openConfiguration(): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('medsec: open a folder first; a .medsec.json configures a folder.');
    return;
  }
  const filePath = active && vscode.workspace.getWorkspaceFolder(active) === folder ? active.path : undefined;
  for (const candidate of configCandidates(filePath, folder.uri.path)) {
    const uri = folder.uri.with({ path: candidate });
    if (await exists(uri)) {
      await vscode.window.showTextDocument(uri);
      return;
    }
  }
  const create = `Create ${CONFIG_FILE_NAME}`;
  const choice = await vscode.window.showInformationMessage(
    `medsec: ${folder.name} has no ${CONFIG_FILE_NAME}; the ruleSet setting applies. Create one?`,
    create,
  );
  if (choice !== create) return;
  const target = vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(CONFIG_TEMPLATE));
  await vscode.window.showTextDocument(target);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}
