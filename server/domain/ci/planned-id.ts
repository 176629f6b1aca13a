// Owns the ids a dry run gives the CIs it would create: the same item always gets the same id (derived from its
// class and first identification key), and an id carries a MAC over the source and class, so a later chunk of a
// dry run can be checked as naming a CI that a dry run of the same source planned, with that planned class.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const PLANNED = 'planned:';

function mac(secret: Buffer, source: string, className: string, digest: string): string {
  return createHmac('sha256', secret).update(`${source}\u0000${className}\u0000${digest}`).digest('base64url').slice(0, 22);
}

/** `planned:<class>.<digest of the key>.<mac>`: stable for the same item of the same source. */
export function plannedId(secret: Buffer, source: string, className: string, identKey: string): string {
  const digest = createHash('sha256').update(identKey).digest('base64url').slice(0, 22);
  return `${PLANNED}${className}.${digest}.${mac(secret, source, className, digest)}`;
}

/** The class a planned id was issued for by a dry run of `source`, or undefined when no such dry run issued it. */
export function plannedClass(secret: Buffer, source: string, id: string): string | undefined {
  if (!id.startsWith(PLANNED)) return undefined;
  const [className, digest, tag, ...rest] = id.slice(PLANNED.length).split('.');
  if (!className || !digest || !tag || rest.length) return undefined;
  const expected = Buffer.from(mac(secret, source, className, digest));
  const given = Buffer.from(tag);
  return given.length === expected.length && timingSafeEqual(given, expected) ? className : undefined;
}
