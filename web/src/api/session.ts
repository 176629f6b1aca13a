// Owns who the web view is signed in as: the bearer credential every request carries. Sign-in (OIDC, or an API
// token pasted by a person) sets it; nothing else in the page reads or writes credentials.
import { request, type GraphqlResponse } from './graphql';
import type { TadaDocumentNode } from 'gql.tada';

const KEY = 'ripple.bearer';
let bearer: string | null = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(KEY);

export function setBearer(token: string | null): void {
  bearer = token;
  if (typeof sessionStorage === 'undefined') return;
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

export function authHeaders(): Record<string, string> {
  return bearer ? { authorization: `Bearer ${bearer}` } : {};
}

/** Every GraphQL call of the web view goes through here, so each carries the signed-in credential. */
export function api<TResult, TVariables>(
  document: TadaDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<GraphqlResponse<TResult>> {
  return request('', document, variables, authHeaders());
}
