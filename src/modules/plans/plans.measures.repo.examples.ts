/** One example call of every function of plans.measures.repo.ts (see src/store/query-snapshots.ts). */
import { repoExamples } from '../../store/query-snapshots.ts';
import * as repo from './plans.measures.repo.ts';
import { planExampleData } from './plans.repo.examples.ts';

export default repoExamples(repo, planExampleData, {
  countPlatforms: {
    'of a kind, everywhere': (db) => repo.countPlatforms(db, { kind: 'intl_base' }, '2025-06-30', null),
    'of a kind and level, in a region': (db, d) => repo.countPlatforms(db, { kind: 'joint_lab', level: 'municipal' }, '2025-06-30', d.region.path),
  },
  countIntlProjects: {
    everywhere: (db) => repo.countIntlProjects(db, '2025-06-30', null),
    'in a region': (db, d) => repo.countIntlProjects(db, '2025-06-30', d.region.path),
  },
  countMechanisms: (db, d) => repo.countMechanisms(db, ['intergovernmental', 'sister_park'], '2025-06-30', d.region.path),
});
