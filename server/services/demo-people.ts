// Owns demo mode's people: with no authentication configured every anonymous request is the local admin, so
// nobody could approve a change someone else requested. Two demo people get real API tokens at each start
// (the previous ones revoked): dana requests changes and handles incidents, marco approves them. The web view
// offers them on its sign-in in demo mode only, so a change can be walked from request to approval by two
// identities the approval rules tell apart.
import type { Role } from '../domain/auth/roles';
import type { TokenService } from './tokens';

export interface DemoPerson {
  subject: string;
  roles: Role[];
  token: string;
}

const PEOPLE: { subject: string; roles: Role[] }[] = [
  { subject: 'dana', roles: ['editor', 'incident-responder', 'change-manager'] },
  { subject: 'marco', roles: ['change-manager'] },
];

export async function mintDemoPeople(tokens: TokenService): Promise<DemoPerson[]> {
  await tokens.revokeNamed(PEOPLE.map((p) => `demo-${p.subject}`), 'ripple-demo');
  const out: DemoPerson[] = [];
  for (const p of PEOPLE) {
    const { token } = await tokens.create({ name: `demo-${p.subject}`, subject: p.subject, roles: p.roles, expiresInDays: 1 }, 'ripple-demo');
    out.push({ ...p, token });
  }
  return out;
}
