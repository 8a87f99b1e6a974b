/** Which language a file is: config files by their whole name (sdkconfig, prj.conf, .env), the rest by extension. */
import type { LanguageId } from './types';

const BY_EXTENSION: Record<string, LanguageId> = {
  '.c': 'c', '.h': 'c',
  '.cpp': 'cpp', '.cc': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.hxx': 'cpp', '.ino': 'cpp',
  '.py': 'python',
  '.java': 'java',
  '.kt': 'kotlin', '.kts': 'kotlin',
  '.ts': 'typescript', '.tsx': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
  '.conf': 'kconfig',
  '.env': 'dotenv',
  '.json': 'json',
  '.yaml': 'yaml', '.yml': 'yaml',
};

/** `firstLine` recognises extensionless scripts by their `#!` line (`#!/usr/bin/env python3`). */
export function detectLanguage(path: string, firstLine?: string): LanguageId | undefined {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const lower = name.toLowerCase();
  // Firmware configuration files are recognised by name before extension.
  if (lower.startsWith('sdkconfig') || lower === 'kconfig.defaults' || /^kconfig\..+\.defaults$/.test(lower)) return 'kconfig';
  if (lower === 'prj.conf' || /^prj_.+\.conf$/.test(lower) || lower.endsWith('.config') && lower.startsWith('defconfig')) return 'kconfig';
  if (lower === 'defconfig' || lower.endsWith('_defconfig')) return 'kconfig';
  if (lower === '.env' || lower.startsWith('.env.')) return 'dotenv';
  if (lower === 'androidmanifest.xml') return 'android-manifest';
  const dot = lower.lastIndexOf('.');
  if (dot <= 0 && !lower.startsWith('.')) return firstLine ? languageOfShebang(firstLine) : undefined;
  const ext = lower.slice(dot);
  return BY_EXTENSION[ext];
}

/** Languages whose code model comes from tree-sitter. */
export const TREE_SITTER_LANGUAGES = ['c', 'cpp', 'python', 'java', 'kotlin'] as const;
export type TreeSitterLanguage = (typeof TREE_SITTER_LANGUAGES)[number];

export function isTreeSitterLanguage(language: LanguageId): language is TreeSitterLanguage {
  return (TREE_SITTER_LANGUAGES as readonly string[]).includes(language);
}

/** Line-comment syntax for suppression comments and the code actions that insert them. */
export function lineCommentPrefix(language: LanguageId): string {
  switch (language) {
    case 'python': case 'kconfig': case 'dotenv': case 'yaml': return '#';
    case 'android-manifest': return '<!--';
    case 'json': return '';
    default: return '//';
  }
}

function languageOfShebang(line: string): LanguageId | undefined {
  const m = /^#!\s*(?:\/usr\/bin\/env\s+(?:-S\s+)?)?(?:\S*\/)?(\w+)/.exec(line);
  if (!m) return undefined;
  if (/^python/.test(m[1])) return 'python';
  if (m[1] === 'node' || m[1] === 'nodejs') return 'javascript';
  return undefined;
}
