/**
 * Starts a fixture server in its own process (so its stalls and CPU do not share the load
 * generator's event loop), waits for its `listening on <url>` line, and stops it on close().
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildServer {
  url: string;
  /** GET /stats of the fixture, parsed. */
  stats(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startChildServer(
  script: URL | string,
  args: string[] = [],
): Promise<ChildServer> {
  const path = script instanceof URL ? script.pathname : script;
  const child: ChildProcess = spawn(process.execPath, [path, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${path} did not start within 10 s`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(text);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path} exited with code ${code} before listening`));
    });
  });
  const origin = new URL(url).origin;
  return {
    url,
    stats: async () => (await (await fetch(`${origin}/stats`)).json()) as Record<string, number>,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
