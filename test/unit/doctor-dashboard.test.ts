import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDashboard } from '../../src/cli/doctor.js';
import { parseConfig, type Config } from '../../src/config/index.js';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function config(port: number, enabled = true): Config {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const r = parseConfig(
    `twitch: { channel: teacher }\ndashboard: { enabled: ${enabled}, port: ${port} }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\n`,
    {},
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

async function occupied(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as { port: number }).port;
}

describe("doctor's dashboard check", () => {
  it('says a free port is free, and leaves it free', async () => {
    const port = await occupied();
    await cleanups.pop()!();
    expect(await checkDashboard(config(port), Date.now())).toEqual({ name: 'dashboard', ok: true, detail: `dashboard.port ${port} on 127.0.0.1 is free` });
    // Closed again: start can take it.
    const again = createServer();
    await new Promise<void>((r, j) => again.once('error', j).listen({ host: '127.0.0.1', port }, r));
    await new Promise((r) => again.close(r));
  });

  it('fails a port another program holds, naming the key to change', async () => {
    const check = await checkDashboard(config(await occupied()), Date.now());
    expect(check).toMatchObject({ name: 'dashboard', ok: false });
    expect(check!.detail).toMatch(/^dashboard\.port \d+ on 127\.0\.0\.1 is in use by another program: change dashboard\.port in the config/);
  });

  it('passes a port the running service holds (its heartbeat is fresh), and checks nothing when the dashboard is off', async () => {
    const c = config(await occupied());
    const store = Store.open(c.storage.path);
    const now = Date.now();
    store.platformState.set('lectern', 'heartbeat', String(now - 20_000), now);
    store.close();
    expect(await checkDashboard(c, now)).toMatchObject({ ok: true, detail: expect.stringMatching(/is the running service's \(it said so 20 s ago\)/) });
    expect(await checkDashboard(config(8787, false), now)).toBeUndefined();
  });
});
