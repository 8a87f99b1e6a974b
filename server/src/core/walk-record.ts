/**
 * What a walk of the tree saw (discover.ts), kept with the result cache so that a re-scan can tell, with one
 * listing per folder and one stat per file, that discovery would find exactly what it found last time
 * (cli/warm): the same folders holding the same names, and every file whose outcome rested on its bytes or
 * size with the same stamp (file-stamp.ts). Light on purpose: the warm re-scan imports it without the engine.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stampOf, trustedStamp } from './file-stamp';

export interface WalkRecord {
  /** Per folder walked, by path relative to the root ('' for the root): its listing (`listingOf`). */
  folders: [string, string][];
  /** Per file whose stat or bytes decided what discovery made of it, its stamp; '' when it had none to trust. */
  files: [string, string][];
  /** Per symbolic link met, what it is and where it leads (`linkState`): a link can be re-pointed with no change to any listing. */
  links: [string, string][];
  /** Why this walk cannot be replayed from listings and stamps (an unreadable folder, a name that is not UTF-8). */
  unsettled?: string;
}

/**
 * A folder's entries as one string: a letter for the kind (file, directory, link, other) and the name, in
 * code-unit order, joined by '/' (the one character no name holds). Equal listings hold the same names of the
 * same kinds; a file's content is not in it (its stamp is).
 */
export function listingOf(entries: fs.Dirent[]): string {
  return sortByName(entries)
    .map((entry) => `${kindOf(entry)}${entry.name}`)
    .join('/');
}

/** Sorts entries in place by name, in plain code-unit order (the same on every machine and locale). */
export function sortByName(entries: fs.Dirent[]): fs.Dirent[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A link's own stamp (its inode and times change when it is replaced, so re-pointing it and back shows) and
 * the real path it resolves to ('' when broken); '' for the stamp when it changed too recently to trust.
 */
export function linkState(link: string, trustedAt?: number): string {
  let stats: fs.Stats | undefined;
  let real = '';
  try {
    stats = fs.lstatSync(link);
    real = fs.realpathSync.native(link);
  } catch {
    // broken: it leads nowhere, and that is what is recorded
  }
  if (!stats) return '';
  const stamp = trustedAt === undefined ? stampOf(stats) : trustedStamp(stats, trustedAt);
  return stamp ? `${stamp}>${real}` : '';
}

/** The entries of `directory` but `ownFolder` (medsec's own state), when it is one of them. */
export function withoutOwnFolder(directory: string, entries: fs.Dirent[], ownFolder: string | undefined): fs.Dirent[] {
  if (!ownFolder || path.dirname(ownFolder) !== directory) return entries;
  const name = path.basename(ownFolder);
  return entries.filter((entry) => entry.name !== name);
}

function kindOf(entry: fs.Dirent): string {
  if (entry.isFile()) return 'f';
  if (entry.isDirectory()) return 'd';
  if (entry.isSymbolicLink()) return 'l';
  return 'o';
}
