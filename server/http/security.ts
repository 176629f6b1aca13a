// Owns the security headers on every response: a Content-Security-Policy the built web view satisfies (and a
// looser one for GraphiQL on /graphql only: its page is one inline script from our own bundle, whose editor
// workers start from blob: URLs), no framing, no sniffing, no referrer leaking query strings to other sites.
import type { ServerResponse } from 'node:http';
import type { AuthConfig } from '../config/config';

export function securityHeaders(auth: AuthConfig): (res: ServerResponse, pathname: string) => void {
  // The web view's sign-in talks to the OIDC issuer from the browser (discovery, token endpoint).
  const issuer = auth.oidc ? new URL(auth.oidc.issuer).origin : '';
  const web = policy({
    'default-src': "'self'",
    'script-src': "'self'",
    // Cytoscape and the panels set style attributes; no inline script is allowed.
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data: blob:",
    'worker-src': "'self' blob:",
    'connect-src': `'self' ${issuer}`.trim(),
    'form-action': `'self' ${issuer}`.trim(),
  });
  const graphiql = policy({
    'default-src': "'self'",
    'script-src': "'self' 'unsafe-inline'",
    'style-src': "'self' 'unsafe-inline'",
    'font-src': "'self' data:",
    'img-src': "'self' data:",
    'worker-src': "'self' blob:",
    'connect-src': "'self'",
    'form-action': "'self'",
  });
  return (res, pathname) => {
    res.setHeader('content-security-policy', pathname === '/graphql' && auth.graphiql ? graphiql : web);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
  };
}

function policy(directives: Record<string, string>): string {
  const all = { ...directives, 'frame-ancestors': "'none'", 'base-uri': "'self'", 'object-src': "'none'" };
  return Object.entries(all)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}
