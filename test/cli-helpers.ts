import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));

export interface Proc {
  stdout: string;
  stderr: string;
  code: number | null;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs the built CLI as a subprocess with only PATH and the given environment. */
export function lectern(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = {
    stdout: '',
    stderr: '',
    code: null,
    exited: new Promise((r) => child.on('exit', (code) => r((p.code = code)))),
    kill: (s) => child.kill(s),
  };
  child.stdout.on('data', (d) => (p.stdout += d));
  child.stderr.on('data', (d) => (p.stderr += d));
  return p;
}
