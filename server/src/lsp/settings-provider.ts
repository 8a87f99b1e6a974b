/** Fetches `medsec.*` per resource from the client and caches it until the settings change. */
import type { Connection } from 'vscode-languageserver';
import { normalizeSettings, type Settings } from './settings';

export class SettingsProvider {
  private readonly cache = new Map<string, Promise<Settings>>();
  private global: Settings;

  /**
   * `canPull`: the client answers `workspace/configuration`. Otherwise the settings pushed with
   * `workspace/didChangeConfiguration` apply everywhere. `trusted` is the client's trust signal from
   * initializationOptions (VS Code sends Workspace Trust): when it sends one, the workspace is untrusted
   * when either it or the `trustedWorkspace` setting says so. A client that sends none (Neovim, Helix, ...)
   * cannot vouch for the folder, so the workspace is untrusted unless the user's own settings set
   * `trustedWorkspace` to true: a cloned repository's `.medsec.json` must not get to run its custom rules
   * and read its `extends` just because the editor never asked.
   */
  constructor(private readonly connection: Connection, private readonly canPull: boolean, private readonly trusted: boolean | undefined) {
    this.global = this.withTrust(undefined);
  }

  get(scopeUri: string | undefined): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.global);
    const key = scopeUri ?? '';
    let settings = this.cache.get(key);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri, section: 'medsec' }).then(
        (raw) => this.withTrust(raw),
        (error) => {
          this.connection.console.error(`medsec: cannot read settings for ${key}: ${String(error)}`);
          return this.global;
        },
      );
      this.cache.set(key, settings);
    }
    return settings;
  }

  /** A document closed: its settings are asked for again if it reopens, and nothing is kept meanwhile. */
  forget(scopeUri: string): void {
    this.cache.delete(scopeUri);
  }

  /** `workspace/didChangeConfiguration`: forget everything; `pushed` is what the notification carried. */
  reset(pushed: unknown): void {
    this.cache.clear();
    const medsec = pushed && typeof pushed === 'object' ? (pushed as { medsec?: unknown }).medsec : undefined;
    if (!this.canPull) this.global = this.withTrust(medsec);
  }

  /** Settings from what the client sent, with `trustedWorkspace` decided as the constructor describes. */
  private withTrust(raw: unknown): Settings {
    const settings = normalizeSettings(raw);
    const saidByUser = raw && typeof raw === 'object' ? (raw as { trustedWorkspace?: unknown }).trustedWorkspace : undefined;
    const trusted = this.trusted === undefined ? saidByUser === true : this.trusted && settings.trustedWorkspace;
    return { ...settings, trustedWorkspace: trusted };
  }
}
