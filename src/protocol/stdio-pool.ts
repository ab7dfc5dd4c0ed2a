/**
 * The stdio server processes of one run (`[settings] processes`, default 1): started before the
 * virtual users, shared by them round-robin, stopped when the run ends on every path (the
 * pipeline's `finally`). Their stderr goes to one log file (stderr-log.ts).
 */
import { LoadtestError } from '../errors.js';
import type { ClientAnswers } from './client-answers.js';
import { MODERN_PROTOCOL_VERSION } from './mcp-vocabulary.js';
import { legacyProfile, type ProtocolProfile } from './protocol-profile.js';
import { StderrLog } from './stderr-log.js';
import { stdioTarget, type StdioCommand } from './stdio-command.js';
import { StdioProcess } from './stdio-process.js';
import type { TransportPool } from './shared-transport.js';

export interface StdioPoolOptions {
  readonly command: StdioCommand;
  readonly processes: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly profile: ProtocolProfile;
  /** Where the processes' stderr is written. */
  readonly logPath: string;
  readonly env?: NodeJS.ProcessEnv;
}

export class StdioPool implements TransportPool {
  readonly processes: readonly StdioProcess[];
  readonly log: StderrLog;
  /** What the processes speak (stdioProfile): the run's protocol profile. */
  readonly profile: ProtocolProfile;
  private turn = 0;
  private stopping: Promise<void> | null = null;

  constructor(options: StdioPoolOptions) {
    this.log = new StderrLog(options.logPath, options.processes);
    this.profile = options.profile;
    const target = stdioTarget(options.command);
    const list: StdioProcess[] = [];
    for (let i = 0; i < options.processes; i++) {
      list.push(
        new StdioProcess({
          command: options.command,
          index: i + 1,
          target,
          timeoutMs: options.timeoutMs,
          maxResponseBytes: options.maxResponseBytes,
          profile: options.profile,
          log: this.log,
          ...(options.env === undefined ? {} : { env: options.env }),
        }),
      );
    }
    this.processes = list;
  }

  start(): void {
    for (const p of this.processes) p.start();
  }

  /** The next process, round-robin: VUs spread evenly over the processes. */
  take(): StdioProcess {
    const p = this.processes[this.turn % this.processes.length]!;
    this.turn++;
    return p;
  }

  /** Restarts of all processes so far. */
  get restarts(): number {
    return this.processes.reduce((sum, p) => sum + p.restarts, 0);
  }

  /** Stops every process (at most once, however many paths ask) and closes the log. */
  stop(): Promise<void> {
    this.stopping ??= Promise.all(this.processes.map((p) => p.stop())).then(() => this.log.close());
    return this.stopping;
  }
}

/**
 * What a stdio run speaks: the 2025 era, `initialize` once per process. The stateless
 * 2026-07-28 revision is not offered over stdio here: pinning it is a usage error.
 */
export function stdioProfile(setting: string, answers: ClientAnswers): ProtocolProfile {
  if (setting === MODERN_PROTOCOL_VERSION) {
    throw new LoadtestError(
      'USAGE',
      `protocol ${MODERN_PROTOCOL_VERSION} is not supported over stdio; accepted with a server command: auto or a 2025 revision (2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)`,
    );
  }
  return setting === 'auto'
    ? legacyProfile({ answers })
    : legacyProfile({ setting, version: setting, answers });
}
