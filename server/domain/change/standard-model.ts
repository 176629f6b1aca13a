// Owns what a standard (pre-authorised) change model allows: which classes and environments its changes may
// target and the risk ceiling above which a change is no longer standard. The reasons name what broke the model.

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface StandardChangeModel {
  id: string;
  name: string;
  description: string | null;
  /** Classes (or their ancestors: `Server` admits every server) a change of this model may target. */
  classes: string[];
  /** Environments it may target; empty: any. */
  environments: string[];
  riskCeiling: RiskLevel;
  /** The fields a change of this model fills in (implementation plan, backout plan, ...) with their defaults. */
  templateFields: { name: string; defaultValue: string | null }[];
  active: boolean;
}

export interface TargetFacts {
  id: string;
  name: string;
  /** The class and its ancestors, most general first. */
  classPath: string[];
  environment: string | null;
}

/** Why these targets break the model, one reason each; empty when they stay within it. */
export function targetsOutsideModel(model: StandardChangeModel, targets: TargetFacts[]): string[] {
  const reasons: string[] = [];
  if (!model.active) reasons.push(`standard change model "${model.name}" is retired`);
  const envs = new Set(model.environments.map((e) => e.toLowerCase()));
  for (const t of targets) {
    if (!t.classPath.some((c) => model.classes.includes(c))) {
      reasons.push(`${t.name} is a ${t.classPath.at(-1)}; model "${model.name}" covers ${model.classes.join(', ')}`);
    }
    if (envs.size && !envs.has((t.environment ?? '').toLowerCase())) {
      reasons.push(`${t.name} is in ${t.environment ?? 'no environment'}; model "${model.name}" covers ${model.environments.join(', ')}`);
    }
  }
  return reasons;
}

/** Why an assessed risk is above the model's ceiling, or null. */
export function riskAboveCeiling(model: StandardChangeModel, level: RiskLevel, score: number): string | null {
  return RISK_LEVELS.indexOf(level) > RISK_LEVELS.indexOf(model.riskCeiling)
    ? `assessed risk ${level} (${score}) is above model "${model.name}"'s ceiling ${model.riskCeiling}; submit it as a NORMAL change`
    : null;
}

/** Fields of a change filled from the model's template: given values win, missing ones take the default. */
export function fillTemplate(model: StandardChangeModel, given: Record<string, string>): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const f of model.templateFields) {
    const v = given[f.name]?.trim() || f.defaultValue;
    if (v) values[f.name] = v;
    else missing.push(f.name);
  }
  const unknown = Object.keys(given).filter((k) => !model.templateFields.some((f) => f.name === k));
  return { values, missing: [...missing, ...unknown.map((k) => `${k} (not a field of the model)`)] };
}
