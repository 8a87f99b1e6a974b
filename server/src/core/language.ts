/** Which language a file is: config files by their whole name (sdkconfig, prj.conf, .env), the rest by extension. */
import type { LanguageId } from './types';

/** How documentation, messages and reports name each language or kind of file. */
export const LANGUAGE_NAMES: Readonly<Record<LanguageId, string>> = {
  c: 'C',
  cpp: 'C++',
  python: 'Python',
  java: 'Java',
  kotlin: 'Kotlin',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  kconfig: 'Kconfig',
  dotenv: '.env',
  'android-manifest': 'AndroidManifest.xml',
  'android-xml': 'Android XML resources (res/xml)',
  shell: 'Shell scripts',
  json: 'JSON',
  yaml: 'YAML',
  text: 'other text files',
  'key-container': 'key containers (PKCS#12, JKS, DER)',
};

/**
 * The four families of source languages that read alike: C and C++ (`native`), Python, TypeScript and
 * JavaScript (`js`), Java and Kotlin (`jvm`). Rules dispatch on it, and the engine reads test-framework imports by it.
 */
export type LanguageFamily = 'native' | 'python' | 'js' | 'jvm';

const FAMILY: Partial<Record<LanguageId, LanguageFamily>> = {
  c: 'native',
  cpp: 'native',
  python: 'python',
  typescript: 'js',
  javascript: 'js',
  java: 'jvm',
  kotlin: 'jvm',
};

/** The family of a source language; undefined for the others (configuration, text, key containers, ...). */
export function languageFamily(language: LanguageId): LanguageFamily | undefined {
  return FAMILY[language];
}

const BY_EXTENSION: Record<string, LanguageId> = {
  '.c': 'c',
  '.h': 'c',
  '.cpp': 'cpp',
  '.cc': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.hxx': 'cpp',
  '.ino': 'cpp',
  '.py': 'python',
  '.java': 'java',
  '.kt': 'kotlin',
  '.kts': 'kotlin',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.conf': 'kconfig',
  '.env': 'dotenv',
  '.sh': 'shell',
  '.bash': 'shell',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};

/**
 * An XML resource of an Android app: a `.xml` file in a `res/xml/` folder or a qualified one (`res/xml-v24/`),
 * where the network security configuration and other XML the platform reads at run time live.
 */
function isAndroidXmlResource(path: string): boolean {
  return /(?:^|\/)res\/xml(?:-[\w-]+)?\/[^/]+\.xml$/i.test(path.replace(/\\/g, '/'));
}

/** `firstLine` recognises extensionless scripts by their `#!` line (`#!/usr/bin/env python3`). */
export function detectLanguage(path: string, firstLine?: string): LanguageId | undefined {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const lower = name.toLowerCase();
  // Firmware configuration files are recognised by name before extension.
  if (lower.startsWith('sdkconfig') || lower === 'kconfig.defaults' || /^kconfig\..+\.defaults$/.test(lower)) return 'kconfig';
  if (lower === 'prj.conf' || /^prj_.+\.conf$/.test(lower) || (lower.endsWith('.config') && lower.startsWith('defconfig')))
    return 'kconfig';
  if (lower === 'defconfig' || lower.endsWith('_defconfig')) return 'kconfig';
  if (lower === '.env' || lower.startsWith('.env.')) return 'dotenv';
  if (lower === 'androidmanifest.xml') return 'android-manifest';
  if (isAndroidXmlResource(path)) return 'android-xml';
  const dot = lower.lastIndexOf('.');
  if (dot <= 0 && !lower.startsWith('.')) return firstLine ? languageOfShebang(firstLine) : undefined;
  const ext = lower.slice(dot);
  return BY_EXTENSION[ext];
}

/**
 * Extensions of files that are never text and never key containers (media, archives, object code): discovery
 * does not even open them. Anything else that is not a known language is `text` (only the secrets checks read
 * it) when its bytes are text, or a key container when its magic number says so.
 */
const BINARY_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'bmp',
  'ico',
  'icns',
  'webp',
  'tif',
  'tiff',
  'psd',
  'heic',
  'avif',
  'svgz',
  'woff',
  'woff2',
  'ttf',
  'otf',
  'eot',
  'mp3',
  'mp4',
  'm4a',
  'wav',
  'ogg',
  'flac',
  'avi',
  'mov',
  'mkv',
  'webm',
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  '7z',
  'rar',
  'tar',
  'jar',
  'war',
  'ear',
  'aar',
  'apk',
  'aab',
  'ipa',
  'deb',
  'rpm',
  'dmg',
  'iso',
  'img',
  'msi',
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'odp',
  'o',
  'a',
  'so',
  'dylib',
  'dll',
  'exe',
  'lib',
  'obj',
  'elf',
  'axf',
  'pyc',
  'pyo',
  'class',
  'wasm',
  'node',
  'dex',
  'sqlite',
  'db',
  'pack',
  'idx',
  'parquet',
  'onnx',
  'tflite',
  'pt',
  'pth',
  'h5',
  'npy',
  'npz',
  'pkl',
  'ai',
  'eps',
  'sketch',
  'fig',
  'xcf',
  'blend',
  'fbx',
  'glb',
  'stl',
  'step',
  'stp',
  'dwg',
  'mat',
  'fit',
  'ttc',
  'swf',
  'jpg_large',
]);

/** Whether a file's name says it is media, an archive or object code (never opened by discovery). */
export function isBinaryName(path: string): boolean {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 && BINARY_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/**
 * Extensions of text formats by convention: discovery does not read their head to tell text from binary (the
 * scan checks the bytes it reads anyway), which keeps discovering every file of a repository cheap.
 */
const TEXT_EXTENSIONS = new Set([
  'md',
  'markdown',
  'txt',
  'rst',
  'adoc',
  'html',
  'htm',
  'css',
  'scss',
  'less',
  'svg',
  'csv',
  'tsv',
  'log',
  'tex',
  'properties',
  'toml',
  'ini',
  'cfg',
  'cnf',
  'xml',
  'plist',
  'tf',
  'tfvars',
  'hcl',
  'sh',
  'bash',
  'zsh',
  'ps1',
  'bat',
  'cmd',
  'gradle',
  'mk',
  'cmake',
  'sql',
  'go',
  'rb',
  'php',
  'cs',
  'swift',
  'rs',
  'scala',
  'lua',
  'pl',
  'r',
  'dart',
  'vue',
  'svelte',
  'proto',
  'graphql',
  'j2',
  'tpl',
  'tmpl',
  'lock',
  'sum',
  'mod',
  'pem',
  'csr',
  'pub',
  'asc',
  'ovpn',
  'ld',
  's',
  'asm',
  'ipynb',
  'dockerfile',
  'service',
  'sln',
  'csproj',
  'resx',
  'patch',
  'diff',
  'rtf',
  'srt',
  'vtt',
  'map',
]);

/** Whether a file's name says it is text (see TEXT_EXTENSIONS). */
export function isTextName(path: string): boolean {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 && TEXT_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** The language of any file: a known language, or `text` for every other file not named as binary. */
export function detectFileLanguage(path: string, firstLine?: string): LanguageId | undefined {
  return detectLanguage(path, firstLine) ?? (isBinaryName(path) ? undefined : 'text');
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
    case 'python':
    case 'shell':
    case 'kconfig':
    case 'dotenv':
    case 'yaml':
      return '#';
    case 'android-manifest':
    case 'android-xml':
      return '<!--';
    case 'json':
    case 'text':
    case 'key-container':
      return '';
    default:
      return '//';
  }
}

function languageOfShebang(line: string): LanguageId | undefined {
  const m = /^#!\s*(?:\/usr\/bin\/env\s+(?:-S\s+)?)?(?:\S*\/)?(\w+)/.exec(line);
  if (!m) return undefined;
  if (/^python/.test(m[1])) return 'python';
  if (m[1] === 'node' || m[1] === 'nodejs') return 'javascript';
  if (/^(?:sh|bash|dash|ash|ksh)$/.test(m[1])) return 'shell';
  return undefined;
}
