/**
 * A server process in its own process group, and how it is stopped.
 *
 * POSIX: `detached` makes the child lead a new process group, so a terminal's Ctrl+C (sent to
 * the foreground group) reaches only the load tester, which drains its requests before it stops
 * the servers; and signalling the group reaches a wrapper's children too (`npx` → `node`).
 * Windows has no process groups: the child alone is signalled.
 *
 * Stopping follows MCP "Lifecycle", Shutdown (stdio): close the server's stdin and wait for it to
 * exit, then SIGTERM, then SIGKILL.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { StdioCommand } from './stdio-command.js';

/** How long the server gets to exit once its stdin is closed, then once sent SIGTERM. */
export const STDIN_CLOSE_GRACE_MS = 500;
export const SIGTERM_GRACE_MS = 2000;

export type ServerChild = ChildProcessWithoutNullStreams;

/** Started without a shell: the arguments reach the server exactly as given. */
export function spawnInGroup(command: StdioCommand, env: NodeJS.ProcessEnv): ServerChild {
  return spawn(command.program, command.args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    env,
    windowsHide: true,
  });
}

/** stdin closed, then SIGTERM, then SIGKILL; resolves once the process has exited. */
export async function stopGroup(child: ServerChild): Promise<void> {
  const exited = exitOf(child);
  child.stdin.end();
  if (!(await within(exited, STDIN_CLOSE_GRACE_MS))) {
    signalGroup(child, 'SIGTERM');
    if (!(await within(exited, SIGTERM_GRACE_MS))) {
      signalGroup(child, 'SIGKILL');
      await exited;
    }
  }
  // What the leader left behind in its group (a wrapper's child that ignored SIGTERM).
  signalGroup(child, 'SIGKILL');
}

/** Signals the process's group, or the process alone on Windows; a group already gone is fine. */
export function signalGroup(child: ServerChild, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

function exitOf(child: ServerChild): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function within(done: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  const ended = await Promise.race([done.then(() => true), timedOut]);
  clearTimeout(timer);
  return ended;
}
