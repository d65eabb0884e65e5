import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { STORES, freshStore, type TestStore } from '../../test/stores.ts';
import type { Sql } from './db.ts';
import { qb, type NewRow, type Row, type RowPatch } from './kysely.ts';

// Checked by tsc: the generated types say what the engines return (the first test checks the values).
expectTypeOf<Row<'plans'>['id']>().toEqualTypeOf<number>();
expectTypeOf<Row<'plans'>['created_at']>().toEqualTypeOf<Date>();
expectTypeOf<Row<'plans'>['period_start']>().toEqualTypeOf<string | null>();
expectTypeOf<Row<'plan_targets'>['direction']>().toEqualTypeOf<'increase' | 'decrease'>();
expectTypeOf<Row<'plan_supervision_cases'>['level']>().toEqualTypeOf<1 | 2>();
expectTypeOf<Row<'plan_tasks'>['responsible_units']>().toEqualTypeOf<string[]>();
expectTypeOf<NewRow<'plans'>>().not.toHaveProperty('id');
expectTypeOf<NewRow<'plans'>['config']>().toEqualTypeOf<string | undefined>();
expectTypeOf<RowPatch<'plans'>['created_at']>().toEqualTypeOf<Date | string | undefined>();

describe.each(STORES)('Kysely over Sql on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore(kind);
  });
  afterAll(async () => store?.close());

  it('reads values in the shapes db.ts gives (and db.types.ts declares)', async () => {
    const row = await qb(store.db)
      .insertInto('plans')
      .values({ name: 'shapes', period_start: '2024-01-01', period_end: '2027-12-31', config: JSON.stringify({ method: 'linear', n: [1, 2] }) })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(typeof row.id).toBe('number');
    expect(row.period_start).toBe('2024-01-01');
    expect(row.created_at).toBeInstanceOf(Date);
    expect(row.config).toEqual({ method: 'linear', n: [1, 2] });
    const target = await qb(store.db)
      .insertInto('plan_targets')
      .values({ plan_id: row.id, indicator: 'labs', baseline_value: 12.5, baseline_year: 2023 })
      .returning(['baseline_value', 'direction'])
      .executeTakeFirstOrThrow();
    expect(target).toEqual({ baseline_value: 12.5, direction: 'increase' });
    const task = await qb(store.db)
      .insertInto('plan_tasks')
      .values({ plan_id: row.id, number: '1', title: 't', responsible_units: ['甲单位', 'B unit'] })
      .returning(['responsible_units', 'supporting_units'])
      .executeTakeFirstOrThrow();
    expect(task).toEqual({ responsible_units: ['甲单位', 'B unit'], supporting_units: [] });
  });

  it('reports affected rows for inserts, updates and deletes', async () => {
    const ins = await qb(store.db).insertInto('plans').values([{ name: 'count a' }, { name: 'count b' }]).executeTakeFirstOrThrow();
    expect(ins.numInsertedOrUpdatedRows).toBe(2n);
    const upd = await qb(store.db).updateTable('plans').set({ owner: 'x' }).where('name', 'in', ['count a', 'count b', 'none']).executeTakeFirstOrThrow();
    expect(upd.numUpdatedRows).toBe(2n);
    const none = await qb(store.db).updateTable('plans').set({ owner: 'x' }).where('name', '=', 'none').executeTakeFirstOrThrow();
    expect(none.numUpdatedRows).toBe(0n);
    const del = await qb(store.db).deleteFrom('plans').where('name', '=', 'count a').executeTakeFirstOrThrow();
    expect(del.numDeletedRows).toBe(1n);
  });

  it('runs inside db.transaction: committed when it resolves, rolled back when it throws', async () => {
    await store.db.transaction(async (tx) => {
      await qb(tx).insertInto('plans').values({ name: 'kept' }).execute();
    });
    await expect(
      store.db.transaction(async (tx) => {
        await qb(tx).insertInto('plans').values({ name: 'lost' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const names = await qb(store.db).selectFrom('plans').select('name').where('name', 'in', ['kept', 'lost']).execute();
    expect(names).toEqual([{ name: 'kept' }]);
  });

  it('keeps one builder per Sql: the store has one, each transaction its own', async () => {
    expect(qb(store.db)).toBe(qb(store.db));
    const seen: Sql[] = [];
    await store.db.transaction(async (tx) => void seen.push(tx));
    await store.db.transaction(async (tx) => void seen.push(tx));
    expect(qb(seen[0])).not.toBe(qb(seen[1]));
    expect(qb(seen[0])).toBe(qb(seen[0]));
  });

  it("refuses Kysely's own transactions, naming db.transaction", async () => {
    await expect(qb(store.db).transaction().execute(async () => undefined)).rejects.toThrow(/db\.transaction/);
  });

  it('moves the change epoch on writes by the kind of query, not by words in its text', async () => {
    const epoch = () => store.db.changes.epoch;
    let before = epoch();
    // The text holds the word INSERT (the regex over hand-written SQL would count it a write); the node is a select.
    await qb(store.db).selectFrom('plans').select(sql<string>`'INSERT'`.as('word')).execute();
    expect(epoch()).toBe(before);
    await qb(store.db).updateTable('plans').set({ owner: 'y' }).where('name', '=', 'no such plan').execute();
    expect(epoch()).toBe(before + 1);
    before = epoch();
    // A select with a writing WITH clause counts as a write.
    await qb(store.db)
      .with('gone', (d) => d.deleteFrom('plans').where('name', '=', 'no such plan').returning('id'))
      .selectFrom('gone')
      .selectAll()
      .execute();
    expect(epoch()).toBe(before + 1);
    before = epoch();
    // Raw statements are judged by their text, as before.
    await sql`UPDATE plans SET owner = 'z' WHERE name = 'no such plan'`.execute(qb(store.db));
    expect(epoch()).toBe(before + 1);
    await sql`SELECT 1`.execute(qb(store.db));
    expect(epoch()).toBe(before + 1);
  });

  it("passes the engine's errors through unchanged (pg-errors.ts maps them to refusals)", async () => {
    await qb(store.db).insertInto('plans').values({ name: 'twice' }).execute();
    await expect(qb(store.db).insertInto('plans').values({ name: 'twice' }).execute()).rejects.toMatchObject({ code: '23505' });
  });
});
