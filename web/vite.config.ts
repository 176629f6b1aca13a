import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Two pages: the app (index.html) and the graph benchmark page (bench.html) that bench/web-graph.ts drives.
export default defineConfig({
  root,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { main: `${root}index.html`, bench: `${root}bench.html` },
      // The build runs before every `npm start`; on a busy 2-core machine its "slow plugin" report (the layout
      // worker's bundling) is noise a person starting Ripple cannot act on.
      checks: { bundlerTimings: false },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/graphql': 'http://localhost:4000' } },
});
