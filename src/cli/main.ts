/**
 * The CLI entry point: the only place that sets process.exitCode. Every error below arrives as
 * a LoadtestError with its exit code and one-line message; anything else is a bug and says so.
 */
import { EXIT, LoadtestError } from '../errors.js';
import { limitHeapGrowth } from '../pipeline/heap-growth.js';
import { CLIENT_VERSION } from '../protocol/mcp-vocabulary.js';
import { sanitizeForTerminal } from '../render/format.js';
import { demoCommand, serveDemoCommand } from './demo-command.js';
import { compareCommand } from './compare-command.js';
import { COMMAND_HELP, MAIN_HELP } from './help.js';
import { initCommand } from './init-command.js';
import { mergeCommand } from './merge-command.js';
import { survivesClosedPipe, type Output } from './output.js';
import { reportHtmlCommand } from './report-html-command.js';
import { runCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';

export async function main(argv: string[], out: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.stdout.write(MAIN_HELP + '\n');
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    out.stdout.write(CLIENT_VERSION + '\n');
    return EXIT.ok;
  }
  const help = COMMAND_HELP[command];
  if (help === undefined) {
    throw new LoadtestError(
      'USAGE',
      `unknown command "${command}"; commands: run, compare, merge, init, validate, report-html, demo, serve-demo`,
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out.stdout.write(help + '\n');
    return EXIT.ok;
  }
  const exit = (code: number): void => process.exit(code);
  switch (command) {
    case 'run':
      return (await runCommand(rest, out, process, exit)).exitCode;
    case 'demo':
      return (await demoCommand(rest, out, process, exit)).exitCode;
    case 'compare':
      return compareCommand(rest, out);
    case 'init':
      return initCommand(rest, out);
    case 'validate':
      return validateCommand(rest, out);
    case 'merge':
      return mergeCommand(rest, out);
    case 'report-html':
      return reportHtmlCommand(rest, out);
    case 'serve-demo': {
      const serving = await serveDemoCommand(rest, out);
      await new Promise<void>((resolve) => {
        const stop = (): void => void serving.close().then(resolve);
        // A terminal's Ctrl+C reaches the whole process group: under `demo` the parent decides.
        process.on('SIGINT', serving.managed ? () => undefined : stop);
        process.once('SIGTERM', stop);
      });
      return EXIT.ok;
    }
  }
  return EXIT.usage;
}

survivesClosedPipe(process.stdout);
survivesClosedPipe(process.stderr);
limitHeapGrowth();
const out: Output = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};
main(process.argv.slice(2), out).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof LoadtestError) {
      // Messages may quote server text (why initialize failed): no escape sequence or line break
      // from it reaches the terminal, so the error stays one line.
      out.stderr.write(`error: ${sanitizeForTerminal(err.message)}\n`);
      process.exitCode = err.exitCode;
    } else {
      out.stderr.write(
        `mcp-loadtest: internal error (please report): ${(err as Error)?.stack ?? String(err)}\n`,
      );
      process.exitCode = 70;
    }
  },
);
