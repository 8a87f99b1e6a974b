/**
 * What the CLI writes to a terminal: colour (only on a TTY, never with NO_COLOR), a progress counter on
 * stderr, and escaping of characters that could rewrite the terminal or hide code (Trojan Source).
 */
import type { Severity } from '../core/types';

export interface Style {
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const ANSI_SEVERITY: Record<Severity, string> = { critical: '1;35', high: '31', medium: '33', low: '36', info: '2' };

const plain: Style = { severity: (_severity, text) => text, bold: (text) => text, dim: (text) => text };
const ansi: Style = {
  severity: (severity, text) => `\x1b[${ANSI_SEVERITY[severity]}m${text}\x1b[0m`,
  bold: (text) => `\x1b[1m${text}\x1b[22m`,
  dim: (text) => `\x1b[2m${text}\x1b[22m`,
};

/** Colour when writing to a TTY and NO_COLOR (https://no-color.org) is unset or empty. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? ansi : plain;
}

/**
 * Makes control characters (ESC sequences, carriage returns) and bidirectional overrides visible as
 * `\u{…}` so scanned source cannot repaint the terminal or reorder what the reader sees.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u{${char.charCodeAt(0).toString(16)}}`,
  );
}

/** A `\r` counter on stderr, redrawn at most every 100 ms; `clear` erases it before real output. */
export class Progress {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(done: number, total: number, path: string): void {
    const now = Date.now();
    if (done < total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const columns = this.stream.columns || 80;
    const line = escapeForTerminal(`scanning ${done}/${total} ${path}`);
    this.stream.write(`\r\x1b[K${line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
