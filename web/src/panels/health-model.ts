// What the CMDB health panel reads out, with no DOM: the cmdbHealth answer turned into sections of figures, each
// with a stable id (kept in the URL), its wording, and the ids of the CIs behind it. Empty sections say "none".
import type { ResultOf } from '../api/graphql';
import type { CmdbHealthQuery } from '../api/queries';

export type Health = ResultOf<typeof CmdbHealthQuery>['health'];

export type SectionId = 'completeness' | 'stale' | 'absent' | 'orphans' | 'unowned' | 'duplicate';

export interface Figure {
  /** `<section>:<key>`, stable across refreshes so a link or a refresh reopens the same figure. */
  id: string;
  section: SectionId;
  /** What is counted: a class.attribute, a source, a duplicate's identification key. */
  label: string;
  count: number;
  /** The count in words: "3 of 40 missing", "2 stale CIs". */
  summary: string;
  /** Extra line under the label (a duplicate's CIs and source). */
  detail?: string;
  /** Share of the class affected, for completeness (0..1); drawn as a bar next to the words. */
  share?: number;
  ciIds: string[];
}

export interface Section {
  id: SectionId;
  title: string;
  help: string;
  figures: Figure[];
  /** The section's total in words, beside its heading: "12 values missing", "2 CIs". */
  tally: string;
  /** Shown instead of figures when there are none, so the reader sees the check ran. */
  none: string;
}

/** The server returns up to this many CIs behind a figure. */
export const SAMPLE = 50;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A 0..1 score as a percentage, rounded down so an incomplete CMDB never reads 100%. */
export function percent(score: number): string {
  const p = Math.floor(Math.max(0, Math.min(1, score)) * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

const sum = (fs: Figure[]) => fs.reduce((s, f) => s + f.count, 0);

export function healthSections(h: Health): Section[] {
  return sectionsWithoutTally(h).map((s) => ({
    ...s,
    tally: !s.figures.length
      ? 'none'
      : s.id === 'completeness'
        ? plural(sum(s.figures), 'value') + ' missing'
        : s.id === 'absent'
          ? plural(sum(s.figures), 'relationship')
          : s.id === 'duplicate'
            ? `${s.figures.length} open`
            : plural(sum(s.figures), s.id === 'unowned' ? 'service' : 'CI'),
  }));
}

function sectionsWithoutTally(h: Health): Omit<Section, 'tally'>[] {
  const completeness = [...h.completeness]
    .filter((c) => c.missing > 0)
    .sort((a, b) => b.missing - a.missing || b.missing / b.total - a.missing / a.total || `${a.className}.${a.attribute}`.localeCompare(`${b.className}.${b.attribute}`))
    .map((c): Figure => ({
      id: `completeness:${c.className}.${c.attribute}`,
      section: 'completeness',
      label: `${c.className}.${c.attribute}`,
      count: c.missing,
      summary: `${c.missing} of ${c.total} missing`,
      share: c.total ? c.missing / c.total : 0,
      ciIds: c.ciIds,
    }));
  const bySource = (section: 'stale' | 'absent', figs: Health['staleBySource'], what: string) =>
    figs.filter((f) => f.count > 0).map((f): Figure => ({ id: `${section}:${f.key}`, section, label: f.key, count: f.count, summary: plural(f.count, what), ciIds: f.ciIds }));
  const single = (section: 'orphans' | 'unowned', f: Health['orphans'], label: string, what: string): Figure[] =>
    f.count > 0 ? [{ id: section, section, label, count: f.count, summary: plural(f.count, what), ciIds: f.ciIds }] : [];
  const duplicates = h.duplicateConflicts.map((d): Figure => ({
    id: `duplicate:${d.key}`,
    section: 'duplicate',
    label: d.key,
    count: d.ciIds.length,
    summary: plural(d.ciIds.length, 'CI'),
    detail: `${(d.cis.length ? d.cis.map((c) => `${c.name} ‹${c.className}›`) : d.ciIds).join(' and ')} · from ${d.source}`,
    ciIds: d.ciIds,
  }));
  return [
    {
      id: 'completeness',
      title: 'Completeness per class',
      help: 'Required attributes missing, worst first. Every CI is also expected to have an owner, an environment and a criticality.',
      figures: completeness,
      none: 'None missing: every CI has its required attributes.',
    },
    { id: 'stale', title: 'Stale CIs by source', help: 'CIs a completed discovery run no longer reported.', figures: bySource('stale', h.staleBySource, 'stale CI'), none: 'None: no source has stale CIs.' },
    {
      id: 'absent',
      title: 'Absent relationships by source',
      help: 'Relationships a completed discovery run no longer reported, listed by the CI they start from.',
      figures: bySource('absent', h.absentRelationshipsBySource, 'absent relationship'),
      none: 'None: no relationship is absent.',
    },
    { id: 'orphans', title: 'Orphans', help: 'CIs with no relationship to any other CI.', figures: single('orphans', h.orphans, 'CIs with no relationship', 'orphan'), none: 'None: every CI has a relationship.' },
    {
      id: 'unowned',
      title: 'Services without owner',
      help: 'Services no team owns: nobody to notify when they fail.',
      figures: single('unowned', h.unownedServices, 'Services with no owning team', 'service'),
      none: 'None: every service has an owner.',
    },
    {
      id: 'duplicate',
      title: 'Open duplicate conflicts',
      help: 'An incoming item matched several CIs on this identification key; nothing was merged.',
      figures: duplicates,
      none: 'None open.',
    },
  ];
}

/** What the CI list under an open figure says about how much of it is shown. */
export function listNote(f: Figure, listed: number): string {
  if (f.section === 'absent') return `${plural(f.count, 'absent relationship')} from ${plural(listed, 'CI')}${f.ciIds.length >= SAMPLE ? ` (the first ${SAMPLE})` : ''}.`;
  if (f.count > listed) return `Showing ${listed} of ${f.count}.`;
  return `${plural(listed, 'CI')}.`;
}
