/**
 * Reference data every installation needs before any import: countries and regions of the
 * world (ISO 3166-1) and China's administrative divisions.
 */
import type { Sql } from './db.ts';
import { seedCountries } from '../modules/countries/countries.seed.ts';
import { seedRegions } from '../modules/regions/regions.seed.ts';

/** Loads missing reference data; safe to call on every start. */
export async function ensureReferenceData(db: Sql): Promise<void> {
  await seedCountries(db);
  await seedRegions(db);
}
