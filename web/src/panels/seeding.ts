// While the server seeds the demo estate (/readyz answers "seeding"), says so above the page and reloads it once
// the estate is in: on a fresh `npm start` the first look would otherwise be of empty lists and a blank health panel.
import { h } from './dom';

const POLL_MS = 2000;

async function readiness(): Promise<string | undefined> {
  try {
    const r = await fetch('/readyz', { cache: 'no-store' });
    return ((await r.json()) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

/** Shows the note just after `anchor` (the page header) while seeding lasts. */
export async function watchSeeding(anchor: HTMLElement): Promise<void> {
  if ((await readiness()) !== 'seeding') return;
  const note = h('p', { class: 'seeding', role: 'status', 'data-testid': 'seeding' }, 'Loading the demo estate… this page refreshes when it is in.');
  anchor.after(note);
  const timer = setInterval(() => {
    void readiness().then((s) => {
      if (s === 'seeding') return;
      clearInterval(timer);
      location.reload();
    });
  }, POLL_MS);
}
