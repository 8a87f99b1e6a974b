/**
 * The running program's own file, for self-updaters that overwrite it with what they downloaded: Python
 * `sys.executable` (a frozen PyInstaller binary) and `sys.argv[0]` (the script or zipapp it runs from), Node
 * `process.execPath` (a packaged single binary). Through the wrappers that name the same file (`Path(...)`,
 * `.resolve()`, `os.path.realpath`, `path.resolve(x)`) and the local a function binds it to; a path built from it
 * (`exe.with_suffix(".old")`, `exe.parent / "devices.json"`, `exe + ".new"`) is another file.
 */
import type { Expr } from '../../server/src/core/model/types';

const OWN_PROGRAM = /^(?:sys\.executable|sys\.argv\[0\]|process\.execPath)$/;
/** One-argument calls that return a path to the same file. */
const SAME_FILE_WRAPPERS =
  /^(?:(?:pathlib\.)?(?:Path|PurePath)|str|os\.fspath|os\.path\.(?:realpath|abspath|normpath)|path\.(?:resolve|normalize)|fs\.realpathSync)$/;
/** Argument-less methods that return the same file. */
const SAME_FILE_METHODS = /^(?:resolve|absolute)$/;
const NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Whether `e` names the program's own file. `valueOf` gives the expression a name was last bound to before the
 * call (in its function, else at module level), or undefined.
 */
export function namesOwnProgram(e: Expr | undefined, valueOf: (name: string) => Expr | undefined, depth = 0): boolean {
  if (!e || depth > 4) return false;
  const text = e.text.replace(/\s+/g, '');
  if (OWN_PROGRAM.test(text)) return true;
  if (e.kind === 'name' && NAME.test(text)) return namesOwnProgram(valueOf(text), valueOf, depth + 1);
  const call = e.kind === 'call' ? e.call : undefined;
  if (!call) return false;
  if (SAME_FILE_WRAPPERS.test(call.callee) && call.args.length === 1) return namesOwnProgram(call.args[0], valueOf, depth + 1);
  if (SAME_FILE_METHODS.test(call.name) && call.receiver && !call.args.length) return namesOwnProgram(call.receiver, valueOf, depth + 1);
  return false;
}
