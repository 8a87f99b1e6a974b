/**
 * A broken `.medsec.json` (a workspace folder's or a nested one) is reported once: one diagnostic on the
 * file at fault (at the error's line and column) and one `window/showMessage` per distinct error. The folder
 * is not checked until it is fixed.
 */
import { MessageType, ShowMessageNotification, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { ConfigError } from '../core/config';
import { configErrorDiagnostic } from './diagnostics';
import { pathToUri } from './workspace-folders';

export class ConfigProblems {
  /** Folder root → the error and the URI of the file it is in. */
  private readonly byFolder = new Map<string, { error: ConfigError; uri: string; message: string }>();
  private readonly shownMessages = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly republish: (uri: string) => void,
  ) {}

  report(folder: string, error: ConfigError): void {
    const message = error.message;
    const previous = this.byFolder.get(folder);
    if (previous?.message === message) return;
    const uri = pathToUri(error.file);
    this.byFolder.set(folder, { error, uri, message });
    if (previous && previous.uri !== uri) this.republish(previous.uri);
    this.republish(uri);
    if (!this.shownMessages.has(message)) {
      this.shownMessages.add(message);
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Error,
        message: `medsec: invalid configuration, nothing is checked in this folder until it is fixed: ${message}`,
      });
    }
    this.connection.console.error(`medsec: ${message}`);
  }

  clear(folder: string): void {
    const previous = this.byFolder.get(folder);
    if (!previous) return;
    this.byFolder.delete(folder);
    this.shownMessages.delete(previous.message);
    this.republish(previous.uri);
  }

  /** The config diagnostics to publish on `uri` (at most one per folder whose configuration lives there). */
  diagnosticsFor(uri: string): Diagnostic[] {
    const result: Diagnostic[] = [];
    for (const entry of this.byFolder.values()) if (entry.uri === uri) result.push(configErrorDiagnostic(entry.error));
    return result.slice(0, 1);
  }

  /** The folders whose configuration has an error reported. */
  folders(): string[] {
    return [...this.byFolder.keys()];
  }

  hasErrors(): boolean {
    return this.byFolder.size > 0;
  }

  firstMessage(): string | undefined {
    return this.byFolder.values().next().value?.message;
  }
}
