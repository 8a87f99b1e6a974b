/**
 * A detector with one function per language family (`languageFamily` in core: C and C++, Python, TypeScript and
 * JavaScript, Java and Kotlin) dispatches here instead of repeating the language switch.
 */
import { languageFamily, type LanguageFamily } from '../../server/src/core/language';
import type { LanguageId } from '../../server/src/core/types';

export type ByFamily<T> = Record<LanguageFamily, () => T>;

/** The handler of the language's family, or `otherwise` for languages outside the four (config, text, ...). */
export function byLanguageFamily<T>(language: LanguageId, handlers: ByFamily<T>, otherwise: T): T {
  const family = languageFamily(language);
  return family ? handlers[family]() : otherwise;
}
