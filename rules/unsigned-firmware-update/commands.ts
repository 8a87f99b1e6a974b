/**
 * What a process call runs, for the app side of unsigned-firmware-update. Issue 10: "an update is 'unsigned'
 * only when the artifact that is flashed, installed or executed comes from a download or an external input".
 * A downloaded file handed as data to a local program (`oref0-autotune-prep ns-entries.json`, `cat report`)
 * installs and runs nothing; it counts only as the program itself (the command, or the script an interpreter
 * is given) or as the input of a flasher or installer (`esptool.py write_flash … image`, `pip install wheel`).
 */
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';

/** Interpreters whose first non-option argument is the program they run. */
const INTERPRETER =
  /^(?:python[\d.]*|py|pythonw|node|nodejs|deno|bun|bash|sh|zsh|dash|ksh|perl|ruby|php|pwsh|powershell|lua|Rscript|osascript|java)$/;
/** Names that hold an interpreter: `sys.executable`, `process.execPath`. */
const INTERPRETER_NAMES = /^(?:sys\.executable|process\.execPath|process\.argv\[0\])$/;
/** Interpreter options that take the next argument (`-m module`, `-c code`, `-jar file`: the jar is the program). */
const OPTION_WITH_VALUE = /^-(?:m|c|e|W|X|O)$/;

interface CommandHead {
  /** The program, when the code names it: `esptool.py`, `oref0-autotune-prep`, `python`. */
  word?: string;
  /** The expression that holds the program when it is computed (a path joined at run time, a variable). */
  expr?: Expr;
  /** The command text as written, to recognise flashers and installers in it. */
  template?: string;
  /** The command is an argv list read through a variable's last assignment before the call (`cmd = [ar, "x", lib]`). */
  throughBinding?: boolean;
}

export interface CommandJudge {
  model: CodeModel;
  /** Whether an expression holds a downloaded file (a path to one). */
  isDownloadedFile(expr: Expr | undefined): boolean;
  /** Whether an expression holds downloaded data (bytes, text). */
  isDownloadedData(expr: Expr | undefined): boolean;
  /** Whether a command text starts a flasher or an installer (`esptool.py write_flash`, `pip install`). */
  installsOrFlashes(text: string): boolean;
}

/** Whether a process call runs, flashes or installs a downloaded artifact. */
export function runsDownloadedArtifact(call: Call, judge: CommandJudge): boolean {
  const argv = commandArgv(call);
  const head = commandHead(argv[0], call, judge.model, 0);
  const text = [head.template ?? '', ...argvText(call)].join(' ');
  const anyDownloadedFile = [...call.args, ...call.named.map((p) => p.value)].some((e) => judge.isDownloadedFile(e));
  if (head.word === undefined) {
    // The program is computed: it is the download when what computes it holds one. A command variable read
    // through its last assignment is judged by that assignment's program: the taint of the name is every value
    // it ever held (a build script reuses `cmd` for the compiler run on downloaded sources and for `ar x lib`).
    const programs = head.throughBinding ? [head.expr] : [argv[0], head.expr];
    return (
      programs.some((p) => judge.isDownloadedFile(p) || judge.isDownloadedData(p)) || (judge.installsOrFlashes(text) && anyDownloadedFile)
    );
  }
  if (judge.installsOrFlashes(text)) return anyDownloadedFile;
  if (!INTERPRETER.test(head.word)) return false;
  // `python script.py`, `sh setup.sh`, `java -jar tool.jar`: the script is the program.
  const script = scriptArgument(argv.slice(1));
  return script ? judge.isDownloadedFile(script) : anyDownloadedFile && argv.length <= 1;
}

/** The argument vector as written: `run([cmd, a, b])`, `spawn(cmd, [a, b])`, `exec("cmd a b")`. */
function commandArgv(call: Call): (Expr | undefined)[] {
  const first = call.args[0] ?? call.named.find((p) => /^(?:args|cmd|command)$/.test(p.key))?.value;
  if (first?.kind === 'array') return first.elements ?? [];
  const second = call.args[1];
  return second?.kind === 'array' ? [first, ...(second.elements ?? [])] : [first];
}

function argvText(call: Call): string[] {
  return [...call.args, ...call.named.map((p) => p.value)].map((a) => a?.text ?? '');
}

/** The first argument that is not an option (the script), skipping an option's value; `-m module` runs a module. */
function scriptArgument(args: readonly (Expr | undefined)[]): Expr | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = a?.kind === 'string' ? (a.value ?? '') : undefined;
    if (value === '-jar') return args[i + 1];
    if (value !== undefined && OPTION_WITH_VALUE.test(value)) return undefined;
    if (value !== undefined && value.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

/** The program of a command: a literal word, the start of a template or format string, or what a name holds. */
function commandHead(expr: Expr | undefined, call: Call, model: CodeModel, depth: number): CommandHead {
  if (!expr || depth > 3) return { expr };
  switch (expr.kind) {
    case 'string':
      return fromText(expr.value ?? '', expr);
    case 'array':
      return commandHead(expr.elements?.[0], call, model, depth + 1);
    case 'call': {
      const inner = expr.call;
      // `"oref0-autotune-prep {a} {b}".format(...)`, `String.format("cmd %s", x)`.
      const format = inner && inner.name === 'format' ? (inner.receiver?.kind === 'string' ? inner.receiver : inner.args[0]) : undefined;
      return format?.kind === 'string' ? fromText(format.value ?? '', expr) : { expr };
    }
    case 'other': {
      const parts = expr.parts?.() ?? [];
      const first = parts[0];
      const template = parts
        .filter((p) => p.kind === 'string')
        .map((p) => p.value ?? '')
        .join(' ');
      return first?.kind === 'string' && (first.value ?? '').trim()
        ? { ...fromText(first.value ?? '', expr), template }
        : { expr, template };
    }
    case 'name': {
      const name = expr.value ?? expr.text;
      if (INTERPRETER_NAMES.test(name)) return { word: 'python' };
      const definition = model.bindings
        .filter((b) => b.target === name && b.kind !== 'property' && b.start < call.start && (b.fn === call.fn || !b.fn))
        .pop();
      if (!definition) return { expr };
      // An argv list (`cmd = [ar, "x", lib]`) holds only what its assignment put in it; a path variable may also
      // name a file written after it was assigned, so its own taint still counts.
      const head = commandHead(definition.value, call, model, depth + 1);
      return definition.value.kind === 'array' ? { ...head, throughBinding: true } : head;
    }
    default:
      return { expr };
  }
}

/** The first word of a command text, without its directory (`/usr/bin/python3` → `python3`); none when it is a placeholder. */
function fromText(text: string, expr: Expr): CommandHead {
  const word = text.trim().split(/\s+/)[0] ?? '';
  if (!word || /[{}$%<]/.test(word)) return { expr, template: text };
  return { word: word.split(/[\\/]/).pop(), template: text };
}
