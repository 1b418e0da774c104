import Database from 'better-sqlite3';

/** A cell of the database that holds text: where it is and what it says. */
export interface Cell {
  readonly table: string;
  readonly column: string;
  readonly value: string;
}

/** Every text value in every table of the database (sqlite_master's tables, every row and column). */
export function textCells(dbPath: string): Cell[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .all()
      .map((t) => t.name);
    const cells: Cell[] = [];
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>) {
        for (const [column, value] of Object.entries(row)) if (typeof value === 'string') cells.push({ table, column, value });
      }
    }
    return cells;
  } finally {
    db.close();
  }
}

/** The cells that contain any of `needles` (case-insensitive): where a viewer left a trace. */
export function traces(dbPath: string, needles: readonly string[]): Cell[] {
  const lower = needles.map((n) => n.toLowerCase());
  return textCells(dbPath).filter((c) => lower.some((n) => c.value.toLowerCase().includes(n)));
}

/** Rows of a table as plain objects, for comparing before and after. */
export function rows(dbPath: string, sql: string): unknown[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}
