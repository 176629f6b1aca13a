// Owns which identification keys a CI write claims, shares and releases, so that a CI holds a key for every rule
// it can be found by and its keys follow its values. Claiming every free key under the unique constraint is what
// makes two writers describing one CI through different rules meet on a key instead of creating it twice.

export interface KeyPlan {
  /** Keys nobody holds: taken under the unique constraint; losing one to a concurrent writer means re-identifying. */
  claim: string[];
  /** Keys another CI already holds, which identification found incompatible (say, the same hostname on a server
   *  with another serial number): linked without a claim, so both CIs stay findable and a later item naming only
   *  that key is reported as a duplicate conflict rather than merged. */
  share: { key: string; holders: string[] }[];
  /** Keys the CI held for values it no longer has. */
  release: string[];
}

/**
 * What a write of CI `ciId` does to its keys: `wanted` are the keys its values yield after the write, `held`
 * those its stored values yield (none for a new CI), `holders(key)` the CIs a key names now.
 */
export function planKeys(ciId: string, wanted: readonly string[], held: readonly string[], holders: (key: string) => readonly string[]): KeyPlan {
  const heldSet = new Set(held);
  const wantedSet = new Set(wanted);
  const plan: KeyPlan = { claim: [], share: [], release: held.filter((k) => !wantedSet.has(k)) };
  for (const key of new Set(wanted)) {
    if (heldSet.has(key)) continue;
    const others = holders(key).filter((id) => id !== ciId);
    if (others.length) plan.share.push({ key, holders: others });
    else plan.claim.push(key);
  }
  return plan;
}
