import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, parse as parseYaml, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig, SECRET_ENV } from '../../src/config/load.js';

// The Docker image cannot be built on these machines (no engine), so this checks what the
// repository provides for it: the Dockerfile, compose.yaml, .dockerignore, .env.example and the
// guide (docs/docker.md). See docs/docker.md, "Not built here".
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

// ---- a small Dockerfile reader: instructions with continuation lines joined, comments dropped.
interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly stage: number;
}
function dockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\S+)\s*(.*)$/.exec(full);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    if (op === 'FROM') stage++;
    out.push({ op, args: m[2]!, stage });
  }
  return out;
}
const words = (s: string) => s.split(/\s+/).filter(Boolean);
const flags = (args: string) => words(args).filter((w) => w.startsWith('--'));
const plain = (args: string) => words(args).filter((w) => !w.startsWith('--'));
const jsonForm = (args: string): string[] => JSON.parse(args) as string[];

// ---- .dockerignore / .gitignore matching (enough for the patterns this repository uses). A
// pattern without a slash matches at any depth, as in git; Docker anchors it at the context's
// root, so for COPY sources this reader is the stricter of the two.
function ignoreRules(text: string): Array<{ re: RegExp; negate: boolean }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      let p = (negate ? l.slice(1) : l).replace(/^\//, '').replace(/\/$/, '');
      const anchored = p.includes('/');
      p = p
        .replace(/[.+^${}()|[\]]/g, '\\$&')
        .replace(/\*\*/g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\u0000/g, '.*');
      return { re: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${p}$`), negate };
    });
}
/** True if the path, or a folder above it, is left out by the rules (the last matching rule wins). */
function ignored(rules: ReturnType<typeof ignoreRules>, path: string): boolean {
  const parts = normalize(path).replace(/^\.\//, '').replace(/\/$/, '').split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    let out = false;
    for (const r of rules) if (r.re.test(prefix)) out = !r.negate;
    if (out) return true;
  }
  return false;
}

// ---- the files under test.
const DOCKERFILE = dockerfile(read('Dockerfile'));
const COMPOSE_TEXT = read('compose.yaml');
const COMPOSE = parseYaml(COMPOSE_TEXT) as {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, { name?: string } | null>;
};
const SERVICE = COMPOSE.services['lectern']! as {
  build: string | { context: string; dockerfile?: string };
  image?: string;
  restart?: string;
  env_file?: string | string[];
  environment?: Record<string, string> | string[];
  ports: Array<string | { target: number; published: string | number; host_ip?: string }>;
  volumes: Array<{ type: string; source: string; target: string; read_only?: boolean; bind?: { create_host_path?: boolean } }>;
  healthcheck: { test: string[] };
};
const PKG = JSON.parse(read('package.json')) as { bin: Record<string, string>; files: string[]; scripts: Record<string, string> };
const DOCS = read('docs/docker.md');
const README = read('README.md');
const DOCKERIGNORE = ignoreRules(read('.dockerignore'));
const GITIGNORE = ignoreRules(read('.gitignore'));
const DOCKER_SECRETS = { TWITCH_OAUTH_TOKEN: 'x', YOUTUBE_API_KEY: 'x' };

const stages = Math.max(...DOCKERFILE.map((i) => i.stage)) + 1;
const RUN_STAGE = stages - 1;
const inStage = (stage: number, op: string) => DOCKERFILE.filter((i) => i.stage === stage && i.op === op);
const last = (op: string) => DOCKERFILE.filter((i) => i.stage === RUN_STAGE && i.op === op).at(-1);
/** `${VAR:-default}` as Compose would read it with VAR unset. */
const withDefaults = (s: string) => s.replace(/\$\{[A-Z0-9_]+:?-([^}]*)\}/g, '$1');
const mount = (target: string) => SERVICE.volumes.find((v) => v.target === target);
const containerPort = () => {
  expect(SERVICE.ports).toHaveLength(1);
  const p = SERVICE.ports[0]!;
  if (typeof p === 'string') {
    const m = /^(\d+\.\d+\.\d+\.\d+):(\d+):(\d+)$/.exec(p);
    expect(m, `port "${p}" is host_ip:published:target`).not.toBeNull();
    return { hostIp: m![1]!, published: Number(m![2]), target: Number(m![3]) };
  }
  return { hostIp: p.host_ip, published: Number(p.published), target: p.target };
};
/** The docs' "lectern.yaml for Docker" example. */
function docsConfig(): string {
  const m = /```yaml\n(# lectern\.yaml for Docker[\s\S]*?)```/.exec(DOCS);
  expect(m, 'docs/docker.md has a ```yaml block starting with "# lectern.yaml for Docker"').not.toBeNull();
  return m![1]!;
}

describe('Dockerfile', () => {
  it('builds and runs on node:26-bookworm-slim, the Node major CI tests (scripts/test-node26.sh)', () => {
    const ci = /^NODE26_VERSION=(\d+)\.\d+\.\d+$/m.exec(read('scripts/test-node26.sh'));
    expect(ci).not.toBeNull();
    const froms = DOCKERFILE.filter((i) => i.op === 'FROM').map((i) => plain(i.args)[0]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toBe(`node:${ci![1]}-bookworm-slim`);
  });

  it('copies only paths that exist in the repository (not git-ignored) and that .dockerignore lets through', () => {
    const context = typeof SERVICE.build === 'string' ? SERVICE.build : SERVICE.build.context;
    const sources = DOCKERFILE.filter((i) => i.op === 'COPY' && !flags(i.args).some((f) => f.startsWith('--from'))).flatMap((i) => plain(i.args).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) {
      expect(existsSync(join(ROOT, context, s)), `COPY ${s}: not in the repository`).toBe(true);
      expect(ignored(GITIGNORE, s), `COPY ${s}: git-ignored, so not in a fresh clone`).toBe(false);
      expect(ignored(DOCKERIGNORE, s), `COPY ${s}: left out of the build context by .dockerignore`).toBe(false);
    }
  });

  it('keeps secrets, local builds and history out of the build context', () => {
    for (const p of ['.env', 'node_modules', 'dist', 'data', 'test-results', '.git', 'exports']) expect(ignored(DOCKERIGNORE, p), p).toBe(true);
    expect(ignored(DOCKERIGNORE, '.env.example')).toBe(false);
    expect(ignored(GITIGNORE, '.env')).toBe(true);
  });

  it("gives the build stage everything `npm ci` builds from (lock file, .npmrc, tsconfig includes, the build script's files)", () => {
    const copied = inStage(0, 'COPY').flatMap((i) =>
      plain(i.args)
        .slice(0, -1)
        .map((s) => s.replace(/\/$/, '')),
    );
    const tsconfig = JSON.parse(read('tsconfig.json')) as { include: string[]; compilerOptions: { outDir: string } };
    const scriptFiles = [...PKG.scripts['build']!.matchAll(/\b(scripts\/[\w.-]+)/g)].map((m) => m[1]!);
    expect(scriptFiles.length).toBeGreaterThan(0);
    for (const need of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', ...tsconfig.include, ...scriptFiles]) {
      expect(
        copied.some((c) => need === c || need.startsWith(`${c}/`)),
        `the build stage does not copy ${need}`,
      ).toBe(true);
    }
    expect(inStage(0, 'RUN').some((i) => /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(tsconfig.compilerOptions.outDir).toBe('dist');
  });

  it("runs the built CLI: `lectern` on the PATH links to the package's bin, which is built with a shebang and executable", () => {
    const bin = PKG.bin['lectern']!;
    expect(bin).toBe('dist/src/cli.js');
    const fromBuild = inStage(RUN_STAGE, 'COPY').filter((i) => flags(i.args).some((f) => f.startsWith('--from')));
    expect(
      fromBuild.some((i) => bin.startsWith(`${plain(i.args)[0]!.replace(/^\/app\//, '')}/`)),
      `the run stage copies ${bin} from the build`,
    ).toBe(true);
    const runs = inStage(RUN_STAGE, 'RUN')
      .map((i) => i.args)
      .join(' && ');
    expect(runs).toContain(`ln -s /app/${bin} /usr/local/bin/lectern`);
    expect(inStage(RUN_STAGE, 'WORKDIR').at(-1)?.args).toBe('/app');
    expect(jsonForm(last('ENTRYPOINT')!.args)).toEqual(['lectern']);
    expect(jsonForm(last('CMD')!.args)).toEqual(['start', '--config', '/app/lectern.yaml']);
    // The CLI as built by `npm test` (which builds first), and its source.
    expect(readFileSync(join(ROOT, 'src/cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const built = join(ROOT, bin);
    expect(readFileSync(built, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(built).mode & 0o111, `${bin} is not executable`).toBe(0o111);
    // What the image's link does: the CLI runs through a symlink to it, by its shebang (Node
    // resolves the real path, so its imports and ../../package.json are found).
    const dir = mkdtempSync(join(tmpdir(), 'lectern-bin-'));
    try {
      symlinkSync(built, join(dir, 'lectern'));
      const r = spawnSync(join(dir, 'lectern'), ['--version'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe((JSON.parse(read('package.json')) as { version: string }).version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships what the package ships (package.json "files", but the README) and runs as node with /data as its volume', () => {
    const copied = inStage(RUN_STAGE, 'COPY').map((i) =>
      plain(i.args)[0]!
        .replace(/^\/app\//, '')
        .replace(/\/$/, ''),
    );
    for (const f of PKG.files.filter((f) => !f.endsWith('.md'))) expect(copied, f).toContain(f);
    expect(copied).toContain('package.json');
    expect(existsSync(join(ROOT, 'demo/notes'))).toBe(true);
    expect(last('USER')!.args).toBe('node');
    expect(jsonForm(last('VOLUME')!.args)).toEqual(['/data']);
    const runs = inStage(RUN_STAGE, 'RUN')
      .map((i) => i.args)
      .join(' && ');
    expect(runs).toMatch(/chown node:node \/data \/exports/);
  });

  it("listens on all of the container's interfaces, on the port the config uses", () => {
    const env = inStage(RUN_STAGE, 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/\bLECTERN_DASHBOARD_HOST=0\.0\.0\.0\b/);
    expect(plain(last('EXPOSE')!.args)).toEqual([String(containerPort().target)]);
  });

  it('checks health with `lectern healthcheck` on the mounted config, as compose.yaml does', () => {
    const hc = last('HEALTHCHECK')!.args;
    const m = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/.exec(hc);
    expect(m, hc).not.toBeNull();
    const cmd = jsonForm(m![1]!);
    expect(cmd).toEqual(['lectern', 'healthcheck', '--config', '/app/lectern.yaml']);
    expect(SERVICE.healthcheck.test).toEqual(['CMD', ...cmd]);
    expect(mount(cmd[3]!)).toBeDefined();
  });
});

describe('compose.yaml', () => {
  it("builds this repository's Dockerfile and restarts unless stopped", () => {
    const build = typeof SERVICE.build === 'string' ? { context: SERVICE.build } : SERVICE.build;
    expect(resolve(ROOT, build.context)).toBe(resolve(ROOT));
    expect(existsSync(join(ROOT, build.context, build.dockerfile ?? 'Dockerfile'))).toBe(true);
    expect(SERVICE.restart).toBe('unless-stopped');
  });

  it('takes secrets from .env only; .env.example lists every secret without a value', () => {
    expect(SERVICE.env_file).toBe('.env');
    const environment = SERVICE.environment ?? {};
    const names = Array.isArray(environment) ? environment.map((e) => e.split('=')[0]) : Object.keys(environment);
    const example = read('.env.example');
    for (const name of Object.values(SECRET_ENV)) {
      expect(names, `${name} in compose.yaml`).not.toContain(name);
      expect(COMPOSE_TEXT).not.toMatch(new RegExp(`${name}\\s*[:=]\\s*\\S`));
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^${name}=$`, 'm'));
    }
    for (const line of example.split('\n')) {
      if (line && !line.startsWith('#')) expect(line, 'a value in .env.example').toMatch(/^[A-Z0-9_]+=$/);
    }
  });

  it("publishes the dashboard on the host's loopback only, on the port the config and image use", () => {
    const { hostIp, published, target } = containerPort();
    expect(hostIp).toBe('127.0.0.1');
    expect(published).toBe(target);
    const example = parseDocument(read('config/lectern.example.yaml')).toJS() as { dashboard: { port: number } };
    expect(example.dashboard.port).toBe(target);
    const defaults = parseConfig('twitch: { channel: somebody }\n', {});
    expect(defaults.ok && defaults.config.dashboard.port).toBe(target);
    const docs = parseConfig(docsConfig(), DOCKER_SECRETS);
    expect(docs.ok && docs.config.dashboard.port).toBe(target);
    expect(DOCS).toContain(`127.0.0.1:${published}:${target}`);
    expect(README).toContain(`127.0.0.1:${published}:${target}`);
  });

  it('mounts the data volume, the config and notes read-only, and the exports folder; what the repository provides exists', () => {
    const data = mount('/data')!;
    expect(data).toMatchObject({ type: 'volume', source: 'lectern-data' });
    expect(COMPOSE.volumes?.[data.source]).toMatchObject({ name: 'lectern-data' });
    // The user's own files: documented, never created by Compose (a missing file would become a folder).
    expect(mount('/app/lectern.yaml')).toMatchObject({ type: 'bind', source: './lectern.yaml', read_only: true, bind: { create_host_path: false } });
    expect(existsSync(join(ROOT, 'config/lectern.example.yaml'))).toBe(true);
    expect(DOCS).toContain('cp .env.example .env');
    // The notes: the user's folder (LECTERN_NOTES_DIR), else the repository's demo notes.
    const notes = mount('/notes')!;
    expect(notes).toMatchObject({ type: 'bind', read_only: true });
    expect(notes.source).toMatch(/^\$\{LECTERN_NOTES_DIR:-/);
    expect(existsSync(join(ROOT, withDefaults(notes.source)))).toBe(true);
    expect(read('.env.example')).toMatch(/^LECTERN_NOTES_DIR=$/m);
    const exports = mount('/exports')!;
    expect(exports).toMatchObject({ type: 'bind', source: './exports' });
    expect(ignored(GITIGNORE, 'exports')).toBe(true);
    expect(DOCS).toContain('mkdir -p exports');
    // Every mount is in the guide's table of paths.
    for (const v of SERVICE.volumes) expect(DOCS, `docs/docker.md does not mention ${v.target}`).toContain(`\`${v.target}\``);
    expect(SERVICE.volumes).toHaveLength(4);
  });
});

describe('docs/docker.md', () => {
  it('its example lectern.yaml is valid, keeps its data in /data and reads notes from /notes', () => {
    const r = parseConfig(docsConfig(), DOCKER_SECRETS);
    if (!r.ok) expect.fail(JSON.stringify(r.problems));
    expect(r.config.storage.path.startsWith(`${mount('/data')!.target}/`)).toBe(true);
    expect(r.config.knowledge.notes.map((n) => n.dir)).toEqual(['/notes']);
  });

  it('the example config, with the two keys the guide says to change, is valid for Docker', () => {
    const doc = parseDocument(read('config/lectern.example.yaml')) as Document;
    doc.setIn(['storage', 'path'], '/data/lectern.db');
    const notes = doc.getIn(['knowledge', 'notes']) as { items: unknown[] };
    notes.items.forEach((_, i) => doc.setIn(['knowledge', 'notes', i, 'dir'], '/notes'));
    const r = parseConfig(doc.toString(), DOCKER_SECRETS);
    if (!r.ok) expect.fail(JSON.stringify(r.problems));
    expect(DOCS).toContain('`storage.path` and `knowledge.notes[].dir`');
  });

  it('documents the commands compose users need, with the mounted folders', () => {
    expect(DOCS).toContain('docker compose up -d');
    expect(DOCS).toContain('docker compose exec lectern lectern dashboard-url');
    expect(DOCS).toContain('/data/dashboard-token');
    expect(DOCS).toMatch(/lectern export [^\n]*--out \/exports\//);
    expect(DOCS).toMatch(/lectern backlog/);
    expect(DOCS).toMatch(/lectern streams/);
    expect(DOCS).toContain('/data/feeds');
    expect(DOCS).toMatch(/Not built here/);
    expect(README).toContain('docs/docker.md');
    expect(README).toContain('docker compose up -d');
  });

  it('uses only CLI commands that exist', () => {
    const used = new Set<string>();
    for (const text of [DOCS, README]) {
      // `docker [compose] exec [-T] lectern lectern CMD` (container, then the CLI) and
      // `docker run ... lectern CMD` (the image, whose entrypoint is the CLI).
      for (const m of text.matchAll(/docker (?:compose )?exec (?:-\S+ )*lectern lectern ([a-z][a-z-]+)/g)) used.add(m[1]!);
      for (const m of text.matchAll(/docker run\b[^\n]*? lectern ([a-z][a-z-]+)/g)) used.add(m[1]!);
    }
    const help = spawnSync(process.execPath, [join(ROOT, PKG.bin['lectern']!), '--help'], { encoding: 'utf8' }).stdout;
    const known = new Set([...help.matchAll(/^ {2}([a-z][a-z-]+)/gm)].map((m) => m[1]!));
    expect(known.has('healthcheck')).toBe(true);
    const missing = [...used].filter((c) => !known.has(c));
    expect(missing).toEqual([]);
    expect(used.has('backlog')).toBe(true);
    expect(used.size).toBeGreaterThan(4);
  });
});

describe('the ignore-file reader this test uses', () => {
  it('matches as Docker and git do for these patterns', () => {
    const r = ignoreRules('node_modules\n*.log\n.env\n.env.*\n!.env.example\ntest-results/\n');
    expect(ignored(r, 'node_modules/x/y')).toBe(true);
    expect(ignored(r, 'a/b.log')).toBe(true);
    expect(ignored(r, '.env.local')).toBe(true);
    expect(ignored(r, '.env.example')).toBe(false);
    expect(ignored(r, 'src/env.ts')).toBe(false);
    expect(ignored(r, 'test-results')).toBe(true);
  });
});
