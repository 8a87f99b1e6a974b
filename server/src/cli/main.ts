/**
 * The `medsec` command. Thin: parse arguments, run a command, map the outcome to an exit code.
 * Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error (one line on
 * stderr), 3 a bug in medsec. Nothing a user does should print a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../core/config';
import { toolVersion } from '../core/version';
import { runBaselineCommand } from './commands/baseline';
import { runDocsCommand } from './commands/docs';
import { runFixCommand } from './commands/fix';
import { MERGE_FORMATS, runMergeCommand, type MergeCommandOptions } from './commands/merge';
import { runRulesCommand, type RulesFormat } from './commands/rules';
import { runScanCommand } from './commands/scan';
import { CONFIG_OPTION, defineScanCommand, FAIL_ON_LEVELS, FOLLOW_SYMLINKS_OPTION, type ScanCommandOptions } from './scan-options';
import { INVENTORY_FORMATS, runInventoryCommand, type InventoryCommandOptions } from './commands/inventory';
import { runSchemaCommand } from './commands/schema';
import { runVerifyRulesCommand } from './commands/verify-rules';
import { EXIT, UsageError } from './errors';

/** What the command actions leave for `main`: the exit code, and Commander's own error text. */
interface CliState {
  exitCode: number;
  commanderMessage: string;
}

async function main(argv: string[]): Promise<number> {
  const state: CliState = { exitCode: EXIT.ok, commanderMessage: '' };
  const program = createProgram(state);
  try {
    await program.parseAsync(argv);
    return state.exitCode;
  } catch (error) {
    return reportError(error, state.commanderMessage, argv);
  }
}

function createProgram(state: CliState): Command {
  const program = new Command('medsec')
    .description('Security linter for medical-device software.')
    .version(toolVersion(), '--version', 'print the version')
    .exitOverride()
    .showSuggestionAfterError(true)
    // Commander's own error text is collected and printed as one line by `reportError`.
    .configureOutput({ outputError: (text) => (state.commanderMessage += text) });
  // In the order `medsec --help` lists them.
  for (const addCommand of [addScan, addMerge, addBaseline, addFix, addInventory, addRules, addDocs, addVerifyRules, addSchema]) {
    addCommand(program, state);
  }
  return program;
}

function addScan(program: Command, state: CliState): void {
  defineScanCommand(program).action(async (paths: string[], options: ScanCommandOptions) => {
    state.exitCode = await runScanCommand(paths, options);
  });
}

function addMerge(program: Command, state: CliState): void {
  program
    .command('merge')
    .description('merge the SARIF files of `medsec scan --shard i/n` runs into one report')
    .argument('<files...>', 'SARIF files, one per shard')
    .addOption(new Option('--format <format>', 'output format').choices(MERGE_FORMATS).default('sarif'))
    .option('--output <file>', 'write the report to this file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit with 1 when a merged finding is at or above this severity')
        .choices(FAIL_ON_LEVELS)
        .default('none'),
    )
    .action((files: string[], options: MergeCommandOptions) => {
      state.exitCode = runMergeCommand(files, options);
    });
}

function addBaseline(program: Command, state: CliState): void {
  program
    .command('baseline')
    .description('record the current findings so `scan --baseline` reports only new ones')
    .argument('[paths...]', 'files and folders to scan')
    .option('--output <file>', 'baseline file to write', '.medsec-baseline.json')
    .option(...CONFIG_OPTION)
    .option(...FOLLOW_SYMLINKS_OPTION)
    .action(async (paths: string[], options: { output?: string; config?: string; followSymlinks?: boolean }) => {
      state.exitCode = await runBaselineCommand(paths, options);
    });
}

function addFix(program: Command, state: CliState): void {
  program
    .command('fix')
    .description('apply the safe fixes (never suggestions); a fix that would break the syntax is refused')
    .argument('[paths...]', 'files and folders to fix')
    .option('--dry-run', 'print a unified diff and write nothing')
    .option(...CONFIG_OPTION)
    .option(...FOLLOW_SYMLINKS_OPTION)
    .action(async (paths: string[], options: { dryRun?: boolean; config?: string; followSymlinks?: boolean }) => {
      state.exitCode = await runFixCommand(paths, options);
    });
}

function addInventory(program: Command, state: CliState): void {
  program
    .command('inventory')
    .description('list the cryptography, protocol endpoints and credentials the code uses (CycloneDX 1.6 CBOM by default)')
    .argument('[paths...]', 'files and folders to read')
    .addOption(new Option('--format <format>', 'output format').choices(INVENTORY_FORMATS).default('cbom'))
    .option('--output <file>', 'write the inventory to this file instead of stdout')
    .option(...CONFIG_OPTION)
    .option(...FOLLOW_SYMLINKS_OPTION)
    .action(async (paths: string[], options: InventoryCommandOptions) => {
      state.exitCode = await runInventoryCommand(paths, options);
    });
}

function addRules(program: Command): void {
  program
    .command('rules')
    .description('list the rules with their severity and CWE / FDA mapping')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { format: RulesFormat }) => {
      process.stdout.write(runRulesCommand(options.format));
    });
}

function addDocs(program: Command, state: CliState): void {
  program
    .command('docs')
    .description('check (default) or regenerate the rule reference in docs/ and the README rule table')
    .option('--write', 'rewrite the generated docs')
    .option('--check', 'exit with 1 when the generated docs are out of date')
    .action((options: { write?: boolean; check?: boolean }) => {
      if (options.write && options.check) throw new UsageError('--write and --check cannot be combined; pick one');
      state.exitCode = runDocsCommand(options.write ? 'write' : 'check');
    });
}

function addVerifyRules(program: Command, state: CliState): void {
  program
    .command('verify-rules')
    .description('check every custom rule of the configuration against its own match / noMatch examples')
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      state.exitCode = await runVerifyRulesCommand(options);
    });
}

function addSchema(program: Command, state: CliState): void {
  program
    .command('schema')
    .description('print (default), rewrite or check schema/medsec.schema.json, generated from the config types')
    .option('--write', 'rewrite schema/medsec.schema.json')
    .option('--check', 'exit with 1 when schema/medsec.schema.json is out of date')
    .action((options: { write?: boolean; check?: boolean }) => {
      if (options.write && options.check) throw new UsageError('--write and --check cannot be combined; pick one');
      state.exitCode = runSchemaCommand(options.write ? 'write' : options.check ? 'check' : 'print');
    });
}

function reportError(error: unknown, commanderMessage: string, argv: string[]): number {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    if (error.exitCode === 0) return EXIT.ok;
    if (error.code === 'commander.help' || error.code === 'commander.helpDisplayed') return EXIT.usage;
    const text = (commanderMessage || error.message)
      .replace(/^error:\s*/i, '')
      .replace(/\s*\n\s*/g, ' ')
      .trim()
      .replace(/\.$/, '');
    const commands = ['scan', 'rules', 'docs', 'baseline', 'fix', 'merge', 'verify-rules', 'schema', 'inventory'];
    const command = commands.includes(argv[2]) ? `medsec ${argv[2]} --help` : 'medsec --help';
    printError(`${text}; run \`${command}\` for usage`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError || error instanceof UsageError) {
    printError(error.message);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  printError(`internal error: ${message}`);
  process.stderr.write('This is a bug in medsec; please report it with the command you ran.\n');
  if (process.env.MEDSEC_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT.internal;
}

function printError(message: string): void {
  process.stderr.write(`medsec: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
}

// A reader that stops early (`medsec scan --format json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw error;
});

process.on('uncaughtException', (error) => {
  process.exitCode = reportError(error, '', process.argv);
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, '', process.argv);
  },
);
