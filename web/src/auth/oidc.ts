// Owns the web view's OIDC sign-in: authorization code with PKCE (oauth4webapi does the protocol), the verifier
// and state kept in sessionStorage across the redirect, and the access token handed back to the caller.
import * as oauth from 'oauth4webapi';

export interface OidcSettings {
  issuer: string;
  clientId: string;
}

const PENDING = 'ripple.oidc.pending';

const redirectUri = () => `${location.origin}${location.pathname}`;

async function server(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url));
}

/** Leaves the page for the identity provider; it comes back to this page with ?code=...&state=... */
export async function startOidcSignIn(s: OidcSettings): Promise<void> {
  const as = await server(s.issuer);
  if (!as.authorization_endpoint) throw new Error('the identity provider publishes no authorization endpoint');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, hash: location.hash }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: s.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: 'openid profile',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  location.assign(url.toString());
}

/** On return from the provider: exchanges the code for an access token, or returns null when not returning. */
export async function finishOidcSignIn(s: OidcSettings): Promise<string | null> {
  const here = new URL(location.href);
  const pending = sessionStorage.getItem(PENDING);
  if (!pending || !(here.searchParams.has('code') || here.searchParams.has('error'))) return null;
  sessionStorage.removeItem(PENDING);
  const { verifier, state, hash } = JSON.parse(pending) as { verifier: string; state: string; hash: string };
  // The code is single-use and must not stay in the address bar or history.
  history.replaceState(null, '', `${here.pathname}${hash}`);
  const as = await server(s.issuer);
  const client: oauth.Client = { client_id: s.clientId };
  const params = oauth.validateAuthResponse(as, client, here, state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), verifier);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  return tokens.access_token;
}
