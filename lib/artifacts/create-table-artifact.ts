import * as z from 'zod/mini';
import type { ArtifactOptions, TableData } from './artifact-record.js';
import { ArtifactOptionsShape, check, createArtifact } from './create-artifact.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

const TableSchema = z.unknown().check(
  z.superRefine((table, ctx) => {
    if (Array.isArray(table)) {
      const arrays = Array.isArray(table[0]);
      table.forEach((row: unknown, i) => {
        if (arrays ? !Array.isArray(row) : !isRecord(row))
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `expected a row as ${arrays ? 'an array' : 'an object'}, like the first row`,
          });
      });
    } else if (isRecord(table)) {
      let first: [string, number] | undefined;
      for (const [name, column] of Object.entries(table)) {
        if (!Array.isArray(column)) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'expected a column as an array of values' });
        } else if (first === undefined) first = [name, column.length];
        else if (column.length !== first[1])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `expected ${first[1]} values, as column '${first[0]}' has`,
          });
      }
    } else {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a list of rows (objects or arrays) or an object of equal-length columns',
      });
    }
  }),
);

const Schema = z.object({
  table: TableSchema,
  options: z.optional(z.strictObject(ArtifactOptionsShape, { error: 'expected an object' })),
});

/**
 * Creates a table artifact linked to the current run and resolves to its id. The table is a
 * list of rows, each an object (`[{ region: 'eu', total: 3 }]`) or each an array, or an object of
 * columns of equal length (`{ region: ['eu', 'us'], total: [3, 5] }`); it is copied (rows and
 * columns, shallowly). Rejects with an `ArtifactValidationError` naming every bad row or column.
 * @example
 * ```ts
 * await createTableArtifact([{ region: 'eu', total: 3 }, { region: 'us', total: 5 }], { key: 'totals' });
 * await createTableArtifact({ region: ['eu', 'us'], total: [3, 5] });
 * ```
 */
export async function createTableArtifact(table: TableData, options?: ArtifactOptions): Promise<string> {
  const input = check('createTableArtifact', Schema, { table, options });
  return createArtifact('table', copyTable(input.table as TableData), input.options ?? {});
}

function copyTable(table: TableData): TableData {
  if (Array.isArray(table))
    return Object.freeze(
      table.map((row: unknown) => Object.freeze(Array.isArray(row) ? [...row] : { ...(row as object) })),
    );
  const columns: Record<string, readonly unknown[]> = {};
  for (const [name, column] of Object.entries(table))
    columns[name] = Object.freeze([...(column as unknown[])]);
  return Object.freeze(columns);
}
