import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, freshStore, type TestStore } from '../../test/stores.ts';

describe.each(STORES)('store on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore(kind);
  });
  afterAll(async () => store?.close());

  it('is migrated with reference data', async () => {
    // ISO 3166-1 has 249 entries; Kosovo's user-assigned XKK comes with the package as well.
    const [c] = await store.db.query<{ n: number }>(`SELECT count(*) AS n FROM countries WHERE iso3 NOT LIKE 'X%'`);
    expect(c.n).toBe(249);
    const rows = await store.db.query<{ short_name: string }>(
      `SELECT d.short_name FROM admin_regions d JOIN admin_regions c ON d.parent_id = c.id
        WHERE c.short_name = '常州' ORDER BY d.code`,
    );
    expect(rows.map((r) => r.short_name)).toEqual(['天宁', '钟楼', '新北', '武进', '金坛', '溧阳']);
  });

  it('rolls a failed transaction back completely', async () => {
    const before = await store.db.query<{ n: number }>('SELECT count(*) AS n FROM facts');
    await expect(
      store.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO facts (subject, indicator, value) VALUES ('x', 'y', 1)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await store.db.query<{ n: number }>('SELECT count(*) AS n FROM facts');
    expect(after[0].n).toBe(before[0].n);
  });

  it('returns numeric and bigint as numbers and dates as strings', async () => {
    const [r] = await store.db.query<{ a: number; b: number; d: string }>(
      `SELECT 12.5::numeric AS a, 9007199254740::bigint AS b, DATE '2014-03-01' AS d`,
    );
    expect(r).toEqual({ a: 12.5, b: 9007199254740, d: '2014-03-01' });
  });
});
