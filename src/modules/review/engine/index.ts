/** The expert review's pure core (README.md beside this file): one import for the module around it. */
export { DEFAULT_MAX_LOAD, DEFAULT_PER_APPLICATION, greedyAssignment, solveAssignment } from './assign.ts';
export type { Assignment, AssignmentInput, AssignmentResult, AssignmentStats, Infeasibility, InfeasibilityCode, IndexPairs } from './assign.ts';
export { DEFAULT_CONFLICT_WINDOW_YEARS, detectConflicts } from './conflicts.ts';
export type { ApplicationFact, ConflictCode, ConflictFacts, ConflictFlag, ConflictPair, OrganisationFact, ParticipationFact, ReviewerFact } from './conflicts.ts';
export { BUDGET_SOURCES, checkEligibility } from './eligibility.ts';
export type { BudgetSource, EligibilityApplication, EligibilityResult, EligibilityRule, Label, RegistryFacts } from './eligibility.ts';
export { competitionRanks, disagreements, kendallTau, normaliseScores, validateSheet, weightedTotal } from './scores.ts';
export type { ApplicationScores, Criterion, Disagreement, Normalisation, Review, ReviewerScores, SeverityResult } from './scores.ts';
