// Owns the sign-in corner of the header: who you are (from `me`), the "demo mode" badge, and the ways in: OIDC
// when the server names a provider, an API token pasted by a person, and in demo mode the demo people (dana
// requests changes, marco approves them) so a change can go from request to approval with two identities.
import './sign-in.css';
import { graphql } from '../api/graphql';
import { api, setBearer } from '../api/session';
import { finishOidcSignIn, startOidcSignIn, type OidcSettings } from './oidc';

interface AuthSettings {
  mode: 'demo' | 'on';
  oidc: OidcSettings | null;
  demoPeople: { subject: string; roles: string[]; token: string }[];
}

const ME = graphql(`
  query Me {
    me { subject via roles demo }
  }
`);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

/** Mounts the corner into `host`; resolves once the signed-in identity (if any) is known. */
export async function mountSignIn(host: HTMLElement, onChange: () => void): Promise<void> {
  const settings = (await fetch('/auth/config').then((r) => r.json())) as AuthSettings;
  if (settings.oidc) {
    const token = await finishOidcSignIn(settings.oidc).catch(() => null);
    if (token) setBearer(token);
  }
  const box = el('div', { class: 'identity', 'data-testid': 'identity' });
  host.append(box);

  const render = async () => {
    const me = (await api(ME, {})).data?.me ?? null;
    box.replaceChildren();
    if (settings.mode === 'demo') box.append(el('span', { class: 'badge demo', 'data-testid': 'demo-badge', title: 'No authentication is configured: anyone on this machine is admin.' }, 'demo mode'));
    const who = me ? `${me.subject} (${me.roles.map((r) => r.toLowerCase().replace(/_/g, '-')).join(', ')})` : 'not signed in';
    box.append(el('span', { 'data-testid': 'whoami', title: who }, who));
    const menu = el('select', { 'aria-label': 'Sign in as', 'data-testid': 'sign-in' });
    menu.append(el('option', { value: '' }, 'Sign in…'));
    if (settings.oidc) menu.append(el('option', { value: 'oidc' }, 'with single sign-on'));
    menu.append(el('option', { value: 'token' }, 'with an API token'));
    for (const p of settings.demoPeople) menu.append(el('option', { value: `demo:${p.subject}` }, `as ${p.subject} (${p.roles.join(', ')})`));
    if (settings.mode === 'demo') menu.append(el('option', { value: 'local' }, 'as the local admin'));
    else menu.append(el('option', { value: 'out' }, 'Sign out'));
    menu.addEventListener('change', () => void choose(menu.value));
    box.append(menu);
  };

  const choose = async (choice: string) => {
    if (choice === 'oidc' && settings.oidc) return startOidcSignIn(settings.oidc);
    if (choice === 'token') {
      const token = prompt('Paste an API token (rpl_...)');
      if (token) setBearer(token.trim());
    } else if (choice.startsWith('demo:')) {
      setBearer(settings.demoPeople.find((p) => `demo:${p.subject}` === choice)?.token ?? null);
    } else if (choice === 'local' || choice === 'out') setBearer(null);
    await render();
    onChange();
  };

  await render();
}
