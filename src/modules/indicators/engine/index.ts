/**
 * The composite-indicator engine (issue 5): a pure module the CLI, the HTTP API and the web UI
 * call. See run.ts for the full pipeline and each step's file for its formulas and sources.
 */
export type * from './types.ts';
export { EngineError, isEngineError } from './errors.ts';
export { buildFramework, buildFrameworkFromNodes, pruneFramework, lineage, type NodeInput } from './framework.ts';
export { buildDataTable, checkDataTable, parseCell, column, type DataRowsOptions } from './data.ts';
export { denominate, type DenominateDiagnostics } from './denominate.ts';
export { impute, type ImputeDiagnostics } from './impute.ts';
export { screenUnits, type ScreenDiagnostics } from './screen.ts';
export { treatOutliers, checkSkewKurt, winsorise, logCT, type TreatDiagnostics, type TreatmentDetail } from './treat.ts';
export { normalise, normaliseColumn, type NormaliseDiagnostics } from './normalise.ts';
export { ahpAnalyse, ahpWeights, ahpMatrix, SAATY_RI, type AhpResult } from './ahp.ts';
export { computeWeights, resolveWeights, entropyWeights, criticWeights, pcaWeights, type WeightsResult } from './weights.ts';
export { aggregate, compileTree, type AggregateDiagnostics } from './aggregate.ts';
export { analyse, cronbachAlpha, type AnalysisResult } from './analysis.ts';
export { rankMin, rankAverage, skewness, kurtosis, pearson } from './stats.ts';
export { xoshiro128ss, xoshiro128ssFromState, splitmix32, rowSeed, normaliseSeed, type Rng } from './prng.ts';
export {
  runReplications,
  runMonteCarloInProcess,
  mergeAccumulators,
  emptyAccumulator,
  summarise,
  leaveOneOut,
  BLOCK_ROWS,
  type McModel,
  type McAccumulator,
  type UncertaintySummary,
  type LeaveOneOutResult,
  type SensitivityIndex,
} from './uncertainty.ts';
export { runMonteCarlo, type RunnerOptions } from './uncertainty.runner.ts';
export { runComposite, runCompositeSync, prepareComposite, finishComposite, resolveMethods, hashData, ENGINE_VERSION, type RunDiagnostics, type ResolvedMethods, type PreparedRun } from './run.ts';
