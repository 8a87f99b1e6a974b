/**
 * Shell scripts for the secrets pass. In a script, `name value` on a line of its own is a command (`pass "DB ready"`
 * calls the script's reporting function), not a key/value pair; only the body of a here-document (`cat > redis.conf
 * <<EOF … EOF`) is configuration text written out by the script, where `requirepass s3cret` is a value.
 */

const SHELL_NAME = /\.(?:sh|bash|zsh|ksh)$/i;
const SHELL_SHEBANG = /^#![^\n]*\b(?:sh|bash|zsh|ksh|dash|ash)\b/;
/** `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"END_CONF"`; not a here-string (`<<<`). */
const HEREDOC_START = /(?<!<)<<(-?)[ \t]*(["']?)([A-Za-z_][\w.-]{0,40})\2/g;

/** Whether a file is a shell script: by its extension, or by its `#!` line when it has none. */
export function isShellScript(fileName: string, content: string): boolean {
  const baseName = fileName.replace(/\\/g, '/').split('/').pop() ?? '';
  return SHELL_NAME.test(baseName) || (!baseName.includes('.') && SHELL_SHEBANG.test(content));
}

/** For each line of a shell script, whether it lies in a here-document's body. */
export function hereDocumentLines(content: string): boolean[] {
  const lines = content.split('\n');
  const inside = new Array<boolean>(lines.length).fill(false);
  const pending: { delimiter: string; stripTabs: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (pending.length > 0) {
      const { delimiter, stripTabs } = pending[0];
      if ((stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) pending.shift();
      else inside[i] = true;
      continue;
    }
    if (!line.includes('<<')) continue;
    for (const m of line.matchAll(HEREDOC_START)) pending.push({ delimiter: m[3], stripTabs: m[1] === '-' });
  }
  return inside;
}
