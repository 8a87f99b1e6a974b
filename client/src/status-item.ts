/** The medsec status bar item (count, state, Restricted Mode) and the small menu a click on it opens. */
import * as vscode from 'vscode';
import { COMMANDS, type StatusParams } from '../../shared/protocol';
import { STATUS_MENU, statusBarView } from './presentation';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('medsec.status', vscode.StatusBarAlignment.Left, 0);

  constructor() {
    this.item.name = 'medsec';
    this.item.command = COMMANDS.showMenu;
    this.show(undefined);
    this.item.show();
  }

  /** `undefined` while the server starts (or restarts). */
  show(status: StatusParams | undefined): void {
    const view = statusBarView(status, vscode.workspace.isTrusted);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

export async function showStatusMenu(): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    STATUS_MENU.map((entry) => ({ label: entry.label, description: entry.description, command: entry.command })),
    { title: 'medsec', placeHolder: 'What do you want to do?' },
  );
  if (picked) await vscode.commands.executeCommand(picked.command);
}
