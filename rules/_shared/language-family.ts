/**
 * The four families most rules read alike: C and C++, Python, TypeScript and JavaScript, Java and Kotlin. A
 * detector with one function per family dispatches here instead of repeating the language switch.
 */
import type { LanguageId } from '../../server/src/core/types';

export interface ByFamily<T> {
  native: () => T;
  python: () => T;
  js: () => T;
  jvm: () => T;
}

/** The handler of the language's family, or `otherwise` for languages outside the four (config, text, ...). */
export function byLanguageFamily<T>(language: LanguageId, handlers: ByFamily<T>, otherwise: T): T {
  switch (language) {
    case 'c':
    case 'cpp':
      return handlers.native();
    case 'python':
      return handlers.python();
    case 'typescript':
    case 'javascript':
      return handlers.js();
    case 'java':
    case 'kotlin':
      return handlers.jvm();
    default:
      return otherwise;
  }
}
