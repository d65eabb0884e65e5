/**
 * A registry (库) described once: its table, its fields with their labels, types and rules.
 * Validation schemas, list filters, sorting, search documents, exports and import mappings
 * are all derived from this description, so they cannot drift apart.
 */
import type { Actor } from '../../actor.ts';
import type { ErrorDetail } from '../../errors.ts';

export type FieldType = 'text' | 'longtext' | 'int' | 'number' | 'bool' | 'date' | 'enum' | 'iso3' | 'ref';

export interface FieldDef {
  /** Column name, also the API field name. */
  readonly name: string;
  readonly zh: string;
  readonly en: string;
  readonly type: FieldType;
  /** Allowed values of an enum, with their labels. */
  readonly values?: readonly { value: string; zh: string; en: string }[];
  /** Table a ref points to (by id). */
  readonly ref?: 'admin_regions' | 'organizations' | 'projects';
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Other header words an importer should accept for this field. */
  readonly aliases?: readonly string[];
  readonly filter?: boolean;
  readonly sort?: boolean;
  /** Contributes to the text-search document. */
  readonly search?: boolean;
  /** Hidden from roles without clearance (issue 3). */
  readonly restricted?: boolean;
  /** Set by the system, never by input. */
  readonly readOnly?: boolean;
}

export interface RegistryDef {
  /** Plural name used in URLs and `--as`: projects, organizations … */
  readonly kind: string;
  /** Singular name used in messages: project, organization … */
  readonly entity: string;
  readonly table: string;
  readonly zh: string;
  readonly en: string;
  readonly fields: readonly FieldDef[];
  /** Computed columns (e.g. name_key) from the record being written. */
  readonly derive?: (rec: Record<string, unknown>) => Record<string, unknown>;
  /** Cross-field rules beyond each field's own type. */
  readonly refine?: (rec: Record<string, unknown>) => ErrorDetail[];
  /**
   * Extra display columns (names of referenced records) and the joins they need. A join to a
   * registry the actor may not see wholly takes `visible(def, alias)`, the actor's scope of that
   * registry on the joined alias, so that a record in scope never shows the title of one that
   * is not.
   */
  readonly display?: { readonly select: string; readonly joins: string | ((visible: (def: RegistryDef, alias: string) => string) => string); readonly fields: readonly string[] };
  readonly defaultSort: string;
  /** Whether records carry a region_id that scopes who may see them. */
  readonly scoped: boolean;
  /** Whether the table has a search tsvector column. */
  readonly searchable: boolean;
  /** Unique natural key used to find an existing record on re-import (column names). */
  readonly naturalKey: readonly string[];
  /**
   * List filters on related records rather than the record's own columns (a project's partner
   * countries): `sql` gets the parameter placeholder and returns a condition on alias `t`.
   */
  readonly relationFilters?: readonly RelationFilter[];
}

export interface RelationFilter {
  readonly name: string;
  readonly zh: string;
  readonly en: string;
  readonly type: 'iso3';
  readonly sql: (param: string) => string;
}

/**
 * Related records read with a record in the same query (a project's partners, funding lines and
 * outputs): `select` gives the extra select-list entries on the record's alias `t` (parameters
 * through `param`), `finish` redacts them for the actor.
 */
export interface RelatedRecords {
  select(actor: Actor, param: (value: unknown) => string): string;
  finish(actor: Actor, row: Record<string, unknown>): Record<string, unknown>;
}

export interface ListParams {
  q?: string;
  page: number;
  pageSize: number;
  sort?: string;
  order?: 'asc' | 'desc';
  /** Field equality filters; region_id filters the whole subtree. */
  filters: Record<string, string | number | boolean>;
  /** Inclusive ranges on int/number/date fields. */
  ranges: Record<string, { min?: string | number; max?: string | number }>;
}

export interface ListResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
