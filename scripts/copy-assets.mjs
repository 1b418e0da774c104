// Copies the non-TypeScript files the service reads at run time (SQL migrations, later static
// pages) next to the compiled code, so `dist/` is self-contained.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ASSET = /\.(sql|html|css|js|svg|png|ico)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (ASSET.test(name) && !name.endsWith('.ts')) cpSync(path, join('dist', path));
  }
}

walk('src');

// The CLI is the package's `bin`: make it executable.
import { chmodSync } from 'node:fs';
chmodSync(join('dist', 'src', 'cli.js'), 0o755);
