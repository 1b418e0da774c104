import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The browser check of test/e2e/dashboard.test.ts, run as a fresh machine without Chromium would:
// vitest on that one file, as a subprocess, with LECTERN_CHROMIUM pointing at a missing file.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const MISSING = '/nonexistent/lectern-test/chromium';
const WARNING = `e2e dashboard tests SKIPPED: ${MISSING} not found; install it with \`apt-get install -y chromium\` to run them`;

function e2eRun(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Not the parent vitest's worker variables, nor CI's LECTERN_REQUIRE_BROWSER.
    if (v !== undefined && !k.startsWith('VITEST') && k !== 'LECTERN_REQUIRE_BROWSER' && k !== 'LECTERN_CHROMIUM') base[k] = v;
  }
  const child = spawn(process.execPath, [VITEST, 'run', 'test/e2e/dashboard.test.ts'], {
    cwd: ROOT,
    env: { ...base, NO_COLOR: '1', FORCE_COLOR: '0', LECTERN_CHROMIUM: MISSING, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('e2e dashboard tests without a browser', () => {
  it('skip with one warning saying how to install Chromium, and pass', async () => {
    const { code, out } = await e2eRun({});
    expect(out.split(WARNING).length - 1, out).toBe(1);
    // Every test of the e2e file is reported as skipped.
    const tests = readFileSync(fileURLToPath(new URL('../e2e/dashboard.test.ts', import.meta.url)), 'utf8').match(/^\s+it\(/gm)!.length;
    expect(out).toMatch(new RegExp(`${tests} skipped`));
    expect(out).not.toMatch(/\d+ passed|\d+ failed/);
    expect(code, out).toBe(0);
  });

  it('fail instead with LECTERN_REQUIRE_BROWSER=1 (as in CI)', async () => {
    const { code, out } = await e2eRun({ LECTERN_REQUIRE_BROWSER: '1' });
    expect(out).not.toContain('SKIPPED');
    expect(out).toContain(`LECTERN_REQUIRE_BROWSER=1 but ${MISSING} is not an executable`);
    expect(code, out).toBe(1);
  });
});
