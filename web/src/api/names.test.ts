import { describe, expect, it } from 'vitest';
import { idsIn, UNKNOWN_CI, withNames } from './names';

describe('naming CI ids in texts', () => {
  const db = 'ci_1a23325d5084dbae40aab26';
  const svc = 'ci_0b9f00aa11223344556677';

  it('finds each id once in risk details and history fields', () => {
    expect(idsIn([`2 production services impacted: ${db}, ${svc}.`, `DEPENDS_ON->${db}`])).toEqual([db, svc]);
  });

  it('writes names where the ids were and never leaves an id behind', () => {
    const names = new Map([[db, 'orders-db-primary']]);
    expect(withNames(`DEPENDS_ON->${db}`, names)).toBe('DEPENDS_ON->orders-db-primary');
    expect(withNames(`Most critical impacted service: ${svc} (criticality 1, DOWN).`, names)).toBe(`Most critical impacted service: ${UNKNOWN_CI} (criticality 1, DOWN).`);
  });

  it('leaves words that only look like ids alone', () => {
    expect(withNames('ci_limit and not_ci_1a23325d5084', new Map())).toBe('ci_limit and not_ci_1a23325d5084');
  });
});
