/** The open workspace folders and which one holds a file (the deepest, for nested folders). */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { WorkspaceFolder } from 'vscode-languageserver';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

export class WorkspaceFolders {
  private roots: string[] = [];

  set(folders: readonly WorkspaceFolder[] | null | undefined, rootUri?: string | null): void {
    const uris = folders?.length ? folders.map((folder) => folder.uri) : rootUri ? [rootUri] : [];
    this.roots = uris
      .map(uriToPath)
      .filter((root): root is string => !!root)
      .map((root) => path.resolve(root));
  }

  change(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const gone = new Set(
      removed
        .map((folder) => uriToPath(folder.uri))
        .filter(Boolean)
        .map((root) => path.resolve(root as string)),
    );
    const kept = this.roots.filter((root) => !gone.has(root));
    for (const folder of added) {
      const root = uriToPath(folder.uri);
      if (root && !kept.includes(path.resolve(root))) kept.push(path.resolve(root));
    }
    this.roots = kept;
  }

  all(): readonly string[] {
    return this.roots;
  }

  /** The deepest workspace folder that contains `file`, or undefined. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const root of this.roots) {
      const relative = path.relative(root, file);
      if (relative && !relative.startsWith('..') && !path.isAbsolute(relative) && (!best || root.length > best.length)) best = root;
    }
    return best;
  }
}
