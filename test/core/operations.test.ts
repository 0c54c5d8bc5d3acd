// src/core/operations.ts names the ids by hand (the types need them as literals): held here to the table.
import { expect, test } from 'vitest';
import { ID_FIELDS, operationTable } from '../../src/core/operations.js';

test('ID_FIELDS are the fields every operation requires and places the same way (path or query)', () => {
  const rows = Object.values(operationTable);
  const [first, ...rest] = rows;
  const shared = Object.entries(first!.in).filter(
    ([field, place]) =>
      place !== 'body' &&
      rows.every((row) => row.input.required?.includes(field)) &&
      rest.every((row) => Object.hasOwn(row.in, field) && row.in[field] === place),
  );
  expect(shared.map(([field]) => field)).toEqual([...ID_FIELDS]);
});
