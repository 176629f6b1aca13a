// Owns the rules on a change's timing: maintenance windows (weekly, scoped to services or environments) and
// whether a change fits them, freeze windows and which changes they reach, and the checks at submission and
// implementation (no window in the past, no implementation before the window without a stated reason).

/** A weekly window: from `dayOfWeek` (0 = Sunday, UTC) at `startMinute` past midnight, for `durationMinutes`. */
export interface MaintenanceWindow {
  id: string;
  name: string;
  dayOfWeek: number;
  startMinute: number;
  durationMinutes: number;
  /** Services (CI ids) it is agreed for; with environments empty too, it is the estate's default window. */
  serviceIds: string[];
  environments: string[];
}

/** What a change touches, for deciding which windows (maintenance or freeze) concern it. */
export interface ChangeScope {
  /** Every CI in the blast radius, the targets included. */
  ciIds: string[];
  environments: string[];
}

export interface FreezeWindow {
  id: string;
  name: string;
  start: string;
  end: string;
  serviceIds: string[];
  environments: string[];
}

const WEEK = 7 * 24 * 60;
const MINUTE = 60_000;

/** The estate's window when no maintenance window is configured for a change's scope: Saturday 22:00 to Sunday 06:00 UTC. */
export const DEFAULT_MAINTENANCE_WINDOW: MaintenanceWindow = {
  id: 'default',
  name: 'Saturday night (default)',
  dayOfWeek: 6,
  startMinute: 22 * 60,
  durationMinutes: 8 * 60,
  serviceIds: [],
  environments: [],
};

const isGlobal = (w: { serviceIds: string[]; environments: string[] }) => !w.serviceIds.length && !w.environments.length;

/** Whether a window scoped to services or environments (or to nothing: the whole estate) reaches this change. */
export function windowConcerns(w: { serviceIds: string[]; environments: string[] }, scope: ChangeScope): boolean {
  if (isGlobal(w)) return true;
  const { cis, envs } = lookupOf(scope);
  return w.serviceIds.some((id) => cis.has(id)) || w.environments.some((e) => envs.has(e.toLowerCase()));
}

/** A scope's ids as sets, made once per scope: a blast radius of thousands is checked against every window. */
const lookups = new WeakMap<ChangeScope, { cis: Set<string>; envs: Set<string> }>();
function lookupOf(scope: ChangeScope): { cis: Set<string>; envs: Set<string> } {
  let l = lookups.get(scope);
  if (!l) lookups.set(scope, (l = { cis: new Set(scope.ciIds), envs: new Set(scope.environments.map((e) => e.toLowerCase())) }));
  return l;
}

/** Whether [start, end) lies inside one occurrence of a weekly window. */
export function fitsWeekly(w: MaintenanceWindow, start: Date, end: Date): boolean {
  const minuteOfWeek = (start.getUTCDay() * 24 * 60 + start.getUTCHours() * 60 + start.getUTCMinutes()) % WEEK;
  const opensAt = w.dayOfWeek * 24 * 60 + w.startMinute;
  // Minutes since the most recent opening at or before the start (the window may wrap past Saturday midnight).
  const sinceOpen = (minuteOfWeek - opensAt + WEEK) % WEEK;
  const lengthMinutes = (end.getTime() - start.getTime()) / MINUTE;
  return sinceOpen + lengthMinutes <= w.durationMinutes;
}

/**
 * The maintenance windows that govern a change: the scoped ones that concern it when there are any, else the
 * estate-wide ones, else the default. A service that agreed its own window is changed in that window.
 */
export function governingWindows(all: MaintenanceWindow[], scope: ChangeScope): MaintenanceWindow[] {
  const scoped = all.filter((w) => !isGlobal(w) && windowConcerns(w, scope));
  if (scoped.length) return scoped;
  const global = all.filter(isGlobal);
  return global.length ? global : [DEFAULT_MAINTENANCE_WINDOW];
}

/** The governing window the change fits, or null when it falls outside all of them (a risk factor). */
export function fittingWindow(all: MaintenanceWindow[], scope: ChangeScope, start: Date, end: Date): MaintenanceWindow | null {
  return governingWindows(all, scope).find((w) => fitsWeekly(w, start, end)) ?? null;
}

/** The freezes overlapping the change's window that reach its blast radius (or the whole estate). */
export function freezesConcerning<F extends FreezeWindow>(freezes: F[], scope: ChangeScope, start: string, end: string): F[] {
  const s = Date.parse(start);
  const e = Date.parse(end);
  return freezes.filter((f) => Date.parse(f.start) < e && Date.parse(f.end) > s && windowConcerns(f, scope));
}

/** Why a window cannot be submitted, or null: a change planned to start in the past cannot be approved for it. */
export function submissionWindowProblem(plannedStart: string, now: Date): string | null {
  return Date.parse(plannedStart) < now.getTime()
    ? `the planned window starts ${plannedStart}, in the past; edit the window before submitting`
    : null;
}

/** Why implementation cannot be recorded now, or null: before the window it needs an explicit early-start reason. */
export function implementationTimingProblem(plannedStart: string, now: Date, earlyStartReason: string | null | undefined): string | null {
  if (now.getTime() >= Date.parse(plannedStart)) return null;
  return earlyStartReason?.trim() ? null : `the window starts ${plannedStart}; implementing before it needs an earlyStartReason`;
}

/** Validates a weekly window's shape, returning the field at fault and why. */
export function maintenanceWindowProblem(w: Pick<MaintenanceWindow, 'dayOfWeek' | 'startMinute' | 'durationMinutes'>): { field: string; reason: string } | null {
  if (!Number.isInteger(w.dayOfWeek) || w.dayOfWeek < 0 || w.dayOfWeek > 6) return { field: 'dayOfWeek', reason: 'must be 0 (Sunday) to 6 (Saturday)' };
  if (!Number.isInteger(w.startMinute) || w.startMinute < 0 || w.startMinute >= 24 * 60) return { field: 'startMinute', reason: 'must be 0 to 1439 (minutes past midnight UTC)' };
  if (!Number.isInteger(w.durationMinutes) || w.durationMinutes < 1 || w.durationMinutes > WEEK) return { field: 'durationMinutes', reason: `must be 1 to ${WEEK}` };
  return null;
}
