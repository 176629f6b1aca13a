// CI names for the ids the API writes into texts (risk factor details, history entries, assessment diffs): a
// person reads "orders-db-primary", not "ci_1a23325d5084dbae40aab26". One batched lookup per panel, cached.
import { CisByIdsQuery } from './queries';
import { api } from './session';

const CI_ID = /\bci_[0-9a-f]{8,}\b/g;
/** The API's largest page of CIs. */
const PAGE = 500;
/** What stands in for an id the CMDB no longer knows (a deleted CI): still no id on screen. */
export const UNKNOWN_CI = 'a CI no longer in the CMDB';

const cache = new Map<string, string>();

/** Every CI id mentioned in these texts, once each. */
export function idsIn(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap((t) => t.match(CI_ID) ?? []))];
}

/** The text with each CI id replaced by its name. */
export function withNames(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(CI_ID, (id) => names.get(id) ?? UNKNOWN_CI);
}

/** Names for these ids, from the cache or one query per PAGE of ids not seen yet. */
export async function lookupNames(ids: readonly string[]): Promise<Map<string, string>> {
  const missing = [...new Set(ids)].filter((id) => !cache.has(id));
  for (let i = 0; i < missing.length; i += PAGE) {
    const page = missing.slice(i, i + PAGE);
    const r = await api(CisByIdsQuery, { ids: page, first: PAGE });
    for (const n of r.data?.cis.nodes ?? []) cache.set(n.id, n.name);
  }
  return new Map(ids.map((id) => [id, cache.get(id) ?? UNKNOWN_CI]));
}

/** Resolves the ids in all these texts at once and returns a function that names them in any of them. */
export async function namer(texts: readonly string[]): Promise<(text: string) => string> {
  const names = await lookupNames(idsIn(texts));
  return (text) => withNames(text, names);
}
