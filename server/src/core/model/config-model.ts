/**
 * Small parsers for firmware and app configuration formats: key/value lines (sdkconfig, prj.conf, .env)
 * and XML attributes (AndroidManifest.xml). Each yields `ConfigEntry`s with exact spans for the key and
 * the value, so rules can point at and fix a single setting.
 */
import { readXml } from '../parse/xml';
import type { LanguageId } from '../types';
import { emptyModel, type CodeModel, type ConfigEntry } from './types';

export function buildConfigModel(language: LanguageId, text: string): CodeModel {
  const model = emptyModel();
  if (language === 'kconfig' || language === 'dotenv') parseKeyValueLines(language, text, model);
  else if (language === 'android-manifest' || language === 'android-xml') parseXmlAttributes(text, model);
  else if (language === 'yaml' || language === 'text') parseSuppressionComments(text, model);
  return model;
}

/** Where a comment that carries a suppression opens on a line of a YAML or text file. */
export const SUPPRESSION_COMMENT = /(?:^|\s)(#+|\/\/+|<!--|\/\*+)\s*medsec-ignore/;

/**
 * YAML and other text files: the comments that carry a suppression (`# medsec-ignore …`, `// …`, `<!-- … -->`),
 * whole-line or trailing. No other comment is needed: only the secrets checks read these files.
 */
function parseSuppressionComments(text: string, model: CodeModel): void {
  if (!text.includes('medsec-ignore')) return;
  let offset = 0;
  for (const line of text.split('\n')) {
    const at = line.indexOf('medsec-ignore');
    if (at >= 0) {
      const opener = SUPPRESSION_COMMENT.exec(line);
      if (opener) {
        const start = opener.index + opener[0].indexOf(opener[1]);
        model.comments.push({
          start: offset + start,
          end: offset + line.replace(/\r$/, '').length,
          text: line.slice(start).replace(/\r$/, ''),
        });
      }
    }
    offset += line.length + 1;
  }
}

const KCONFIG_NOT_SET = /^#\s*(CONFIG_[A-Za-z0-9_]+) is not set\s*$/;
/**
 * Run on the line without its trailing blanks (a lazy `(.*?)\s*$` is quadratic on a long blank run inside
 * the value); the value starts with a non-blank, so the blanks around `=` and the value never overlap.
 */
const KEY_VALUE = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(\S.*)?$/;

function parseKeyValueLines(language: LanguageId, text: string, model: CodeModel): void {
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, '');
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed.startsWith('#')) {
      const notSet = language === 'kconfig' ? KCONFIG_NOT_SET.exec(trimmed) : null;
      if (notSet) {
        const keyStart = lineStart + line.indexOf(notSet[1]);
        model.config.push({
          start: lineStart,
          end: lineStart + line.length,
          key: notSet[1],
          value: 'n',
          keySpan: { start: keyStart, end: keyStart + notSet[1].length },
          valueSpan: { start: keyStart, end: keyStart + notSet[1].length },
        });
      }
      const hash = line.indexOf('#');
      model.comments.push({ start: lineStart + hash, end: lineStart + line.length, text: line.slice(hash) });
      continue;
    }
    const m = KEY_VALUE.exec(line.trimEnd());
    if (!m) continue;
    const keyStart = lineStart + m[1].length + (m[2]?.length ?? 0);
    let valueText = m[5] ?? '';
    let valueStart = keyStart + m[3].length + m[4].length;
    // dotenv allows a trailing comment after an unquoted value.
    if (language === 'dotenv' && !/^["']/.test(valueText)) {
      // The blank before the `#`, then back over the blanks before it: /\s+#/ would be quadratic on long blank runs.
      let comment = valueText.search(/\s#/);
      while (comment > 0 && /\s/.test(valueText[comment - 1])) comment--;
      if (comment >= 0) valueText = valueText.slice(0, comment);
    }
    let value = valueText;
    const quoted = /^(["'])(.*)\1$/.exec(valueText);
    if (quoted) {
      value = quoted[1] === '"' ? quoted[2].replace(/\\(["\\])/g, '$1') : quoted[2];
      valueStart += 1;
      valueText = quoted[2];
    }
    model.config.push({
      start: lineStart,
      end: lineStart + line.length,
      key: m[3],
      value,
      keySpan: { start: keyStart, end: keyStart + m[3].length },
      valueSpan: { start: valueStart, end: valueStart + valueText.length },
    });
  }
}

/** AndroidManifest.xml and Android XML resources: the element tree, and every attribute of every element, keyed `element@attribute`, and the comments. */
function parseXmlAttributes(text: string, model: CodeModel): void {
  const { attributes, comments, elements } = readXml(text);
  model.elements = elements;
  for (const attribute of attributes) {
    const entry: ConfigEntry = {
      ...attribute.span,
      key: `${attribute.element}@${attribute.name}`,
      value: attribute.value,
      keySpan: attribute.nameSpan,
      valueSpan: attribute.valueSpan,
    };
    model.config.push(entry);
  }
  // A loop, not push(...comments): a large XML file's comments, spread as arguments, overflow the stack.
  for (const comment of comments) model.comments.push(comment);
}
