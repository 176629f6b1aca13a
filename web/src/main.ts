// Entry of the web view: a placeholder page that proves the API answers until the explorer lands.
export {};
const app = document.querySelector<HTMLDivElement>('#app')!;
app.innerHTML = `<main style="font-family: system-ui, sans-serif; margin: 2rem">
  <h1>Ripple</h1>
  <p>Graph-native CMDB. The API is at <a href="/graphql">/graphql</a>.</p>
  <p id="status">Asking the API…</p>
</main>`;

const statusLine = document.querySelector<HTMLParagraphElement>('#status')!;
fetch('/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ system { rippleVersion neo4jVersion neo4jEdition } }' }),
})
  .then((r) => r.json())
  .then((r: { data?: { system: { rippleVersion: string; neo4jVersion: string; neo4jEdition: string } } }) => {
    const s = r.data?.system;
    statusLine.textContent = s ? `Ripple ${s.rippleVersion} on Neo4j ${s.neo4jVersion} (${s.neo4jEdition})` : 'API error';
  })
  .catch(() => (statusLine.textContent = 'API unreachable'));
