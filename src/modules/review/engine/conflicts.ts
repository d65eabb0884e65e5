/**
 * Conflicts of interest between applications and reviewers, computed from the registries and
 * explained — not only self-declared. For each (application, reviewer) pair in conflict, every
 * reason is a flag that names its evidence:
 *
 *  - SAME_ORGANISATION: the reviewer works at the applicant or a partner (which organisation).
 *  - SAME_PARENT: the reviewer's organisation and the applicant's or a partner's share a parent
 *    in the organisation tree (which organisations, which parent — the nearest common one;
 *    one may be the other's parent).
 *  - CO_PARTICIPATION: the reviewer's organisation (or the reviewer in person) took part in a
 *    registered project together with the applicant or a partner within the last N years
 *    (default 3: a project counts when both have a participation year in [year − N, year]);
 *    which project and year (the later of the two sides' latest years in the window).
 *  - EXCLUDED_BY_APPLICANT: the applicant asked for this reviewer, or every reviewer of an
 *    organisation, to be excluded (回避), with the reason given.
 *  - DECLARED: the reviewer declared a relationship with the application or with one of its
 *    organisations, with the reason given.
 *
 * Pure: the caller gathers the facts from the registries. Cost grows with the conflicts found,
 * not with applications × reviewers: reviewers are reached through indexes by organisation, by
 * organisation tree and by project.
 */

/** An organisation of the registry (names for the messages; parent for the tree). */
export interface OrganisationFact {
  id: string;
  name: string;
  name_en?: string | null;
  parent?: string | null;
}

/** An application's organisations and its exclusion requests. */
export interface ApplicationFact {
  id: string;
  applicant: string;
  partners?: readonly string[];
  /** 回避 requests: a reviewer, or every reviewer of an organisation, with the reason. */
  exclusions?: readonly { reviewer?: string; organisation?: string; reason: string }[];
}

/** A reviewer's affiliations and declarations. */
export interface ReviewerFact {
  id: string;
  name?: string;
  affiliations: readonly string[];
  /** Relationships the reviewer declared: with an application, or with an organisation. */
  declarations?: readonly { application?: string; organisation?: string; reason: string }[];
}

/** One participation of an organisation (or a reviewer in person) in a registered project in a year. */
export interface ParticipationFact {
  project: string;
  year: number;
  organisation?: string;
  reviewer?: string;
}

/** Everything conflict detection looks at. */
export interface ConflictFacts {
  applications: readonly ApplicationFact[];
  reviewers: readonly ReviewerFact[];
  organisations?: readonly OrganisationFact[];
  participations?: readonly ParticipationFact[];
  /** Project titles for the messages. */
  projects?: readonly { id: string; title: string; title_en?: string | null }[];
  /** The call's year: co-participation looks back from it. */
  year: number;
  /** N: how many years back co-participation counts (default 3). */
  windowYears?: number;
}

/** Kinds of conflict. */
export type ConflictCode = 'SAME_ORGANISATION' | 'SAME_PARENT' | 'CO_PARTICIPATION' | 'EXCLUDED_BY_APPLICANT' | 'DECLARED';

/** One reason, with its evidence. */
export interface ConflictFlag {
  code: ConflictCode;
  /** Whose organisation is concerned on the application's side. */
  role?: 'applicant' | 'partner';
  /** The application's organisation concerned. */
  organisation?: string;
  /** The reviewer's organisation concerned (none when the reviewer took part in person). */
  reviewerOrganisation?: string;
  /** SAME_PARENT: the nearest common parent. */
  parent?: string;
  project?: string;
  year?: number;
  reason?: string;
  message: string;
  message_en: string;
}

/** A pair in conflict with all its reasons. */
export interface ConflictPair {
  application: string;
  reviewer: string;
  flags: ConflictFlag[];
}

/** Default look-back of co-participation, in years. */
export const DEFAULT_CONFLICT_WINDOW_YEARS = 3;

/** Detects every conflict; pairs sorted by application then reviewer (input order). */
export function detectConflicts(facts: ConflictFacts): ConflictPair[] {
  const N = facts.windowYears ?? DEFAULT_CONFLICT_WINDOW_YEARS;
  const from = facts.year - N;
  const to = facts.year;
  const orgs = new Map<string, OrganisationFact>();
  for (const o of facts.organisations ?? []) orgs.set(o.id, o);
  const zh = (id: string) => orgs.get(id)?.name ?? id;
  const en = (id: string) => orgs.get(id)?.name_en || orgs.get(id)?.name || id;
  const titles = new Map((facts.projects ?? []).map((p) => [p.id, p]));
  const pzh = (id: string) => titles.get(id)?.title ?? id;
  const pen = (id: string) => titles.get(id)?.title_en || titles.get(id)?.title || id;

  // The tree: each organisation's chain of ancestors (itself first), cycle-safe.
  const chains = new Map<string, string[]>();
  const chain = (id: string): string[] => {
    let c = chains.get(id);
    if (c) return c;
    c = [id];
    const seen = new Set([id]);
    for (let p = orgs.get(id)?.parent; p && !seen.has(p); p = orgs.get(p)?.parent) {
      c.push(p);
      seen.add(p);
    }
    chains.set(id, c);
    return c;
  };
  // The root of an organisation's tree; in a cycle (bad data), the cycle's smallest id, so that
  // every member of the cycle has the same root.
  const rootOf = (id: string): string => {
    const c = chain(id);
    const last = c[c.length - 1];
    const p = orgs.get(last)?.parent;
    const at = p ? c.indexOf(p) : -1;
    return at < 0 ? last : c.slice(at).sort()[0];
  };
  // Reviewers by organisation and by tree root.
  const reviewerOrder = new Map(facts.reviewers.map((r, t) => [r.id, t]));
  const byOrg = new Map<string, string[]>();
  const byRoot = new Map<string, Set<string>>();
  for (const r of facts.reviewers)
    for (const o of r.affiliations) {
      const list = byOrg.get(o);
      if (list) list.push(r.id);
      else byOrg.set(o, [r.id]);
      const root = rootOf(o);
      if (!byRoot.has(root)) byRoot.set(root, new Set());
      byRoot.get(root)!.add(o);
    }
  // Participations in the window: project → organisation → latest year; reviewer → project → latest year.
  const projectOrgs = new Map<string, Map<string, number>>();
  const orgProjects = new Map<string, Map<string, number>>();
  const personProjects = new Map<string, Map<string, number>>();
  for (const p of facts.participations ?? []) {
    if (p.year < from || p.year > to) continue;
    if (p.organisation) {
      const m = projectOrgs.get(p.project) ?? new Map<string, number>();
      m.set(p.organisation, Math.max(m.get(p.organisation) ?? -Infinity, p.year));
      projectOrgs.set(p.project, m);
      const n = orgProjects.get(p.organisation) ?? new Map<string, number>();
      n.set(p.project, Math.max(n.get(p.project) ?? -Infinity, p.year));
      orgProjects.set(p.organisation, n);
    }
    if (p.reviewer) {
      const m = personProjects.get(p.reviewer) ?? new Map<string, number>();
      m.set(p.project, Math.max(m.get(p.project) ?? -Infinity, p.year));
      personProjects.set(p.reviewer, m);
    }
  }
  // Reviewers who took part in person, by project.
  const personByProject = new Map<string, { reviewer: string; year: number }[]>();
  for (const [reviewer, m] of personProjects)
    for (const [project, year] of m) {
      const list = personByProject.get(project);
      if (list) list.push({ reviewer, year });
      else personByProject.set(project, [{ reviewer, year }]);
    }
  const declarations = new Map<string, { reviewer: string; organisation?: string; reason: string }[]>();
  const declByOrg = new Map<string, { reviewer: string; reason: string }[]>();
  for (const r of facts.reviewers)
    for (const d of r.declarations ?? []) {
      if (d.application) declarations.set(d.application, [...(declarations.get(d.application) ?? []), { reviewer: r.id, reason: d.reason }]);
      if (d.organisation) declByOrg.set(d.organisation, [...(declByOrg.get(d.organisation) ?? []), { reviewer: r.id, reason: d.reason }]);
    }

  const out: ConflictPair[] = [];
  for (const app of facts.applications) {
    const flags = new Map<string, ConflictFlag[]>();
    const add = (reviewer: string, f: ConflictFlag) => {
      if (!reviewerOrder.has(reviewer)) return;
      const list = flags.get(reviewer);
      if (!list) return void flags.set(reviewer, [f]);
      // The same evidence reached twice (e.g. two affiliations in one tree) is one flag.
      if (!list.some((g) => g.code === f.code && g.message === f.message)) list.push(f);
    };
    const sides: { org: string; role: 'applicant' | 'partner' }[] = [{ org: app.applicant, role: 'applicant' }, ...(app.partners ?? []).filter((p) => p !== app.applicant).map((org) => ({ org, role: 'partner' as const }))];
    const roleZh = (role: 'applicant' | 'partner') => (role === 'applicant' ? '申请单位' : '合作单位');
    const roleEn = (role: 'applicant' | 'partner') => (role === 'applicant' ? 'the applicant' : 'the partner');
    for (const { org, role } of sides) {
      // Same organisation.
      for (const r of byOrg.get(org) ?? [])
        add(r, { code: 'SAME_ORGANISATION', role, organisation: org, reviewerOrganisation: org, message: `专家任职于${roleZh(role)}“${zh(org)}”`, message_en: `The reviewer works at ${roleEn(role)}, “${en(org)}”` });
      // Same parent: organisations of the same tree, nearest common ancestor.
      const mine = chain(org);
      const mineSet = new Set(mine);
      for (const other of byRoot.get(rootOf(org)) ?? []) {
        if (other === org) continue;
        const parent = chain(other).find((x) => mineSet.has(x));
        if (!parent) continue;
        for (const r of byOrg.get(other) ?? [])
          add(r, {
            code: 'SAME_PARENT',
            role,
            organisation: org,
            reviewerOrganisation: other,
            parent,
            message: `专家所在机构“${zh(other)}”与${roleZh(role)}“${zh(org)}”同属“${zh(parent)}”`,
            message_en: `The reviewer’s organisation “${en(other)}” and ${roleEn(role)} “${en(org)}” both belong to “${en(parent)}”`,
          });
      }
      // Co-participation in registered projects within the window.
      for (const [project, yearA] of orgProjects.get(org) ?? []) {
        for (const [other, yearB] of projectOrgs.get(project) ?? []) {
          if (other === org) continue;
          const year = Math.min(yearA, yearB);
          for (const r of byOrg.get(other) ?? [])
            add(r, {
              code: 'CO_PARTICIPATION',
              role,
              organisation: org,
              reviewerOrganisation: other,
              project,
              year,
              message: `专家所在机构“${zh(other)}”与${roleZh(role)}“${zh(org)}”${year} 年共同参与项目“${pzh(project)}”（近 ${N} 年内）`,
              message_en: `The reviewer’s organisation “${en(other)}” took part with ${roleEn(role)} “${en(org)}” in the project “${pen(project)}” in ${year} (within ${N} years)`,
            });
        }
        for (const { reviewer, year: yearR } of personByProject.get(project) ?? []) {
          const year = Math.min(yearA, yearR);
          add(reviewer, {
            code: 'CO_PARTICIPATION',
            role,
            organisation: org,
            project,
            year,
            message: `专家本人与${roleZh(role)}“${zh(org)}”${year} 年共同参与项目“${pzh(project)}”（近 ${N} 年内）`,
            message_en: `The reviewer took part in person with ${roleEn(role)} “${en(org)}” in the project “${pen(project)}” in ${year} (within ${N} years)`,
          });
        }
      }
      // Declarations naming the organisation.
      for (const d of declByOrg.get(org) ?? [])
        add(d.reviewer, { code: 'DECLARED', role, organisation: org, reason: d.reason, message: `专家申报与${roleZh(role)}“${zh(org)}”存在关系：${d.reason}`, message_en: `The reviewer declared a relationship with ${roleEn(role)} “${en(org)}”: ${d.reason}` });
    }
    for (const x of app.exclusions ?? []) {
      if (x.reviewer) add(x.reviewer, { code: 'EXCLUDED_BY_APPLICANT', reason: x.reason, message: `申请人要求该专家回避：${x.reason}`, message_en: `The applicant asked for this reviewer to be excluded: ${x.reason}` });
      if (x.organisation)
        for (const r of byOrg.get(x.organisation) ?? [])
          add(r, {
            code: 'EXCLUDED_BY_APPLICANT',
            reviewerOrganisation: x.organisation,
            reason: x.reason,
            message: `申请人要求“${zh(x.organisation)}”的专家回避：${x.reason}`,
            message_en: `The applicant asked for reviewers of “${en(x.organisation)}” to be excluded: ${x.reason}`,
          });
    }
    for (const d of declarations.get(app.id) ?? []) add(d.reviewer, { code: 'DECLARED', reason: d.reason, message: `专家申报与该申请存在利益关系：${d.reason}`, message_en: `The reviewer declared a conflict with this application: ${d.reason}` });
    const reviewers = [...flags.keys()].sort((a, b) => reviewerOrder.get(a)! - reviewerOrder.get(b)!);
    for (const reviewer of reviewers) out.push({ application: app.id, reviewer, flags: flags.get(reviewer)! });
  }
  return out;
}
