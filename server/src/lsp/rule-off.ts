/**
 * `medsec.applyRuleOff(uri, ruleId, scope, justification)`: writes the `suppressions` entry that turns a
 * rule off for a file or its folder into the `.medsec.json` governing the file (rule-off-edit.ts). The
 * server writes the file itself, so the action works in any LSP editor and takes effect at once; it refuses
 * when the configuration is open with unsaved changes, which a write to disk would silently fight.
 */
import * as fs from 'fs';
import * as path from 'path';
import { justificationProblem } from '../../../shared/protocol';
import { CONFIG_FILE_NAME } from '../core/config';
import type { FolderConfigs } from './folder-config';
import type { SettingsProvider } from './settings-provider';
import { ruleOffGlob, withRuleOff } from './rule-off-edit';
import { pathToUri, uriToPath, type WorkspaceFolders } from './workspace-folders';

export interface RuleOffContext {
  folders: WorkspaceFolders;
  configs: FolderConfigs;
  settings: SettingsProvider;
  isRule(id: string): boolean;
  /** The text of a document open in the editor, undefined when it is not open. */
  openText(uri: string): string | undefined;
}

/** A request the user can correct (the message says how); anything else is a server fault. */
export class RuleOffRefusal extends Error {}

export async function applyRuleOff(args: readonly unknown[], context: RuleOffContext): Promise<{ configUri: string }> {
  const [uri, ruleId, scope, justification] = args;
  const file = typeof uri === 'string' ? uriToPath(uri) : undefined;
  if (!file) throw new RuleOffRefusal('the first argument must be the URI of a file');
  const root = context.folders.folderOf(file);
  if (!root) throw new RuleOffRefusal('only a file in a workspace folder has a .medsec.json to record this in');
  if (typeof ruleId !== 'string' || !context.isRule(ruleId)) throw new RuleOffRefusal(`unknown rule ${String(ruleId)}`);
  if (scope !== 'file' && scope !== 'folder') throw new RuleOffRefusal('the scope must be "file" or "folder"');

  const settings = await context.settings.get(uri as string);
  const governing = context.configs.forFile(file, root, settings);
  if (!governing.loaded.ok) throw new RuleOffRefusal(`fix the configuration first: ${governing.loaded.error.message}`);
  // The policy of the configuration the entry goes into, which may ask more than the default the prompt checked.
  const problem = justificationProblem(justification, governing.loaded.config.justificationPolicy);
  if (problem) throw new RuleOffRefusal(problem);

  const configFile = path.join(governing.folder, CONFIG_FILE_NAME);
  const onDisk = readIfPresent(configFile);
  const open = context.openText(pathToUri(configFile));
  if (open !== undefined && open !== (onDisk ?? '')) {
    throw new RuleOffRefusal(`${CONFIG_FILE_NAME} has unsaved changes; save it, then turn the rule off again`);
  }
  let text: string;
  try {
    const entry = { rules: [ruleId], paths: [ruleOffGlob(governing.folder, file, scope)], justification: (justification as string).trim() };
    text = withRuleOff(onDisk, entry, `medsec:${settings.ruleSet}`);
  } catch (error) {
    throw new RuleOffRefusal(`cannot edit ${configFile}: ${(error as Error).message}`);
  }
  writeAtomically(configFile, text);
  return { configUri: pathToUri(configFile) };
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A reader (the engine, a file watcher, the user's editor) never sees half a configuration. */
function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, text, { flag: 'wx' });
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
