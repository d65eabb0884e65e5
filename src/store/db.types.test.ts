import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, freshStore, type TestStore } from '../../test/stores.ts';
import { TYPES_FILE, generateDbTypes, inListOf } from './typegen.ts';

describe.each(STORES)('src/store/db.types.ts on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore(kind);
  });
  afterAll(async () => store?.close());

  it('is what the migrations give (else: npm run db:types)', async () => {
    const generated = await generateDbTypes(store.db);
    const checkedIn = fs.readFileSync(TYPES_FILE, 'utf8');
    expect(checkedIn, 'src/store/db.types.ts is stale: run `npm run db:types` and commit it').toBe(generated);
  });

  it('types a table added by a migration, with its defaults, nullability and allowed values', async () => {
    await store.db.transaction(async (tx) => {
      await tx.exec(`CREATE TABLE typegen_probe (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL DEFAULT 'a' CHECK (kind IN ('a', 'b''s')),
        level smallint CHECK (level IN (-1, 1)),
        seen date,
        at timestamptz NOT NULL DEFAULT now(),
        tags text[] NOT NULL DEFAULT '{}',
        doc jsonb,
        amount numeric,
        twice numeric GENERATED ALWAYS AS (amount * 2) STORED)`);
      const text = await generateDbTypes(tx);
      expect(text).toContain(`export interface TypegenProbeTable {
  id: GeneratedAlways<number>;
  kind: Generated<'a' | 'b\\'s'>;
  level: -1 | 1 | null;
  seen: string | null;
  at: Generated<Timestamp>;
  tags: Generated<string[]>;
  doc: Json | null;
  amount: number | null;
  twice: GeneratedAlways<number | null>;
}`);
      expect(text).toContain('  typegen_probe: TypegenProbeTable;');
      await tx.exec('DROP TABLE typegen_probe');
    });
  });

  it('stops at a column type without an agreed shape on both engines', async () => {
    await expect(
      store.db.transaction(async (tx) => {
        await tx.exec('CREATE TABLE typegen_bad (ids bigint[])');
        await generateDbTypes(tx);
      }),
    ).rejects.toThrow(/typegen_bad\.ids: no agreed JavaScript shape for int8\[\]/);
  });
});

describe('inListOf', () => {
  it('reads the values of CHECK (col IN (…)) as PostgreSQL prints it', () => {
    expect(inListOf(`CHECK ((direction = ANY (ARRAY['increase'::text, 'decrease'::text])))`, 'direction')).toEqual(['increase', 'decrease']);
    expect(inListOf(`CHECK (("precision" = ANY (ARRAY['day'::text, 'year'::text])))`, 'precision')).toEqual(['day', 'year']);
    expect(inListOf(`CHECK ((direction = ANY (ARRAY['-1'::integer, 1])))`, 'direction')).toEqual([-1, 1]);
    expect(inListOf(`CHECK ((unit = ANY (ARRAY['元'::text, '万元'::text])))`, 'unit')).toEqual(['元', '万元']);
  });
  it('leaves other checks alone', () => {
    expect(inListOf(`CHECK ((percent >= (0)::numeric) AND (percent <= (100)::numeric))`, 'percent')).toBeNull();
    expect(inListOf(`CHECK ((kind = ANY (ARRAY['a'::text])))`, 'other')).toBeNull();
    expect(inListOf(`CHECK ((kind = ANY (ARRAY[lower('A'::text)])))`, 'kind')).toBeNull();
  });
});
