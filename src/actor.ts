/**
 * Who is asking. Every service call carries an actor, so that access control checks the same
 * thing whether the call comes from HTTP, the CLI or a job.
 */
export type Role = 'admin' | 'bureau' | 'district' | 'evaluator' | 'organization' | 'reviewer' | 'public' | 'auditor' | 'system';

export interface Actor {
  /** Stable name recorded in import and audit logs. */
  readonly name: string;
  readonly role: Role;
  /** Administrative-region ids whose subtree the actor may see; null means everywhere. */
  readonly regionScope: readonly number[] | null;
  /** Materialised paths ('/1/2/3/') of the regionScope regions, when known: records that apply below their region (plans) use them. */
  readonly regionPaths?: readonly string[];
  /**
   * Every region id in the regionScope subtrees, when the session resolved them (queries then
   * name the ids instead of walking the tree, which the planner can estimate).
   */
  readonly regionIds?: readonly number[];
  readonly userId?: number;
  readonly orgId?: number;
}

/** The actor of local CLI commands and start-up jobs: the operator of the installation. */
export const systemActor = (name = 'cli'): Actor => Object.freeze({ name, role: 'system', regionScope: null });
