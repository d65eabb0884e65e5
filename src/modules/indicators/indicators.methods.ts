/**
 * Run options → the engine's Methods. The API takes the same choices as `innolink eval run`
 * (normalise, weights, aggregate, impute, screen, treat, uncertainty, perturb, seed …) as JSON
 * fields, or a full `methods` object; a framework version's default methods come first, then
 * `methods`, then each single-choice field.
 */
import { AppError } from '../../errors.ts';
import type { AhpMatrix, ImputeMethod, Methods, NormaliseSpec, WeightSpec } from './engine/index.ts';
import type { RunOptions } from './indicators.schema.ts';

const invalid = (field: string, zh: string, en: string) => new AppError('RUN_OPTIONS_INVALID', 400, zh, en, [{ field, code: 'RUN_OPTIONS_INVALID' }]);

/** Builds the engine's Methods from stored defaults and a run's options. */
export function methodsFromRunOptions(opts: RunOptions, defaults: Methods | null = null): Methods {
  const methods: Methods = { ...(defaults ?? {}), ...((opts.methods ?? {}) as Methods) };
  if (opts.denominate !== undefined) methods.denominate = opts.denominate;
  if (opts.impute !== undefined) {
    const [m, group] = opts.impute.split(':');
    methods.impute = { method: m as ImputeMethod, ...(group ? { group } : {}) };
  }
  if (opts.screen !== undefined) methods.screen = { threshold: opts.screen, by: 'NA' };
  if (opts.treat !== undefined) {
    const [m, w] = opts.treat.split(':');
    methods.treat = m === 'none' ? { method: 'none' } : { method: 'winsorise', ...(w ? { winmax: Number(w) } : {}) };
  }
  if (opts.normalise !== undefined) {
    if (opts.normalise === 'goalposts') {
      const prev = methods.normalise;
      if (!prev || prev.method !== 'goalposts') throw invalid('normalise', 'normalise = goalposts 需要在 methods.normalise.goalposts 中给出门槛值', 'normalise = goalposts needs methods.normalise.goalposts');
    } else methods.normalise = { method: opts.normalise } as NormaliseSpec;
  }
  if (opts.range !== undefined) {
    const [lo, hi] = opts.range;
    if (!(hi > lo)) throw invalid('range', 'range 的上限必须大于下限', 'range: the upper bound must exceed the lower one');
    const n = methods.normalise ?? { method: 'minmax' as const };
    if (n.method !== 'minmax') throw invalid('range', 'range 只适用于 minmax 标准化', 'range applies to minmax normalisation only');
    methods.normalise = { method: 'minmax', range: [lo, hi] };
  }
  if (opts.weights !== undefined) {
    let spec: WeightSpec;
    if (opts.weights === 'ahp') {
      if (!opts.ahp?.length) throw invalid('ahp', 'weights = ahp 需要 ahp 判断矩阵', 'weights = ahp needs the ahp judgement matrices');
      spec = { method: 'ahp', matrices: opts.ahp as AhpMatrix[], ...(opts.allow_inconsistent ? { allowInconsistent: true } : {}) };
    } else spec = { method: opts.weights } as WeightSpec;
    methods.weights = spec;
  } else if (opts.ahp !== undefined) throw invalid('ahp', 'ahp 判断矩阵只在 weights = ahp 时使用', 'ahp matrices are used with weights = ahp only');
  if (opts.aggregate !== undefined) methods.aggregate = { method: opts.aggregate };
  if (opts.zero_variance !== undefined) methods.zeroVariance = opts.zero_variance;
  if (opts.time !== undefined) methods.time = opts.time;
  if (opts.uncertainty !== undefined) {
    methods.uncertainty = { ...(methods.uncertainty ?? {}), replications: opts.uncertainty, weightPerturbation: opts.perturb ?? methods.uncertainty?.weightPerturbation ?? 0.25 };
  } else if (opts.perturb !== undefined) throw invalid('perturb', 'perturb 需要与 uncertainty 同用', 'perturb needs uncertainty');
  return methods;
}

/** Methods without the Monte-Carlo part: the nominal run that explain and export recompute. */
export function nominalMethods(m: Methods): Methods {
  return { ...m, uncertainty: null };
}
