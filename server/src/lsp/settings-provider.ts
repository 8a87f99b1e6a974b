/** Fetches `medsec.*` per resource from the client and caches it until the settings change. */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './settings';

export class SettingsProvider {
  private readonly cache = new Map<string, Promise<Settings>>();
  private global: Settings;

  /**
   * `canPull`: the client answers `workspace/configuration`. Otherwise the settings pushed with
   * `workspace/didChangeConfiguration` apply everywhere. `trusted` comes from initializationOptions; the
   * workspace is untrusted when either it or the `trustedWorkspace` setting says so. `commandLinks`, also
   * from initializationOptions, says whether docs links may be `command:` links.
   */
  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
    private readonly trusted: boolean,
    private readonly commandLinks = false,
  ) {
    this.global = this.withTrust(DEFAULT_SETTINGS);
  }

  get(scopeUri: string | undefined): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.global);
    const key = scopeUri ?? '';
    let settings = this.cache.get(key);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri, section: 'medsec' }).then(
        (raw) => this.withTrust(normalizeSettings(raw)),
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
    if (!this.canPull) this.global = this.withTrust(normalizeSettings(medsec));
  }

  private withTrust(settings: Settings): Settings {
    return { ...settings, trustedWorkspace: settings.trustedWorkspace && this.trusted, commandLinks: this.commandLinks };
  }
}
