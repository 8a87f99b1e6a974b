/** A rule's docs.md, imported as its text (esbuild's `text` loader; the vitest config does the same). */
declare module '*.md' {
  const text: string;
  export default text;
}
