/**
 * Which documents the medsec language server checks: every language the engine reads, by VS Code language
 * id where VS Code has one and by file pattern for the firmware and app config formats (and Kotlin, which
 * VS Code only knows with an extra extension installed).
 */
export const MEDSEC_LANGUAGE_IDS = [
  'c',
  'cpp',
  'python',
  'java',
  'kotlin',
  'typescript',
  'javascript',
  'typescriptreact',
  'javascriptreact',
] as const;

export const MEDSEC_FILE_PATTERNS = [
  '**/sdkconfig*',
  '**/prj.conf',
  '**/*.conf',
  '**/Kconfig.defaults',
  '**/.env*',
  '**/AndroidManifest.xml',
  '**/res/xml*/*.xml',
  '**/*.sh',
  '**/*.bash',
  '**/.medsec.json',
  '**/*.kt',
  '**/*.kts',
] as const;

/** The configuration file whose changes re-check every open document. */
export const CONFIG_FILE_GLOB = '**/.medsec.json';

export interface DocumentFilter {
  scheme: string;
  language?: string;
  pattern?: string;
}

/** Files on disk only: the engine resolves `.medsec.json` and relative globs from the file's path. */
export function documentSelector(): DocumentFilter[] {
  return [
    ...MEDSEC_LANGUAGE_IDS.map((language) => ({ scheme: 'file', language })),
    ...MEDSEC_FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
  ];
}
