import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Two pages: the app (index.html) and the graph benchmark page (bench.html) that bench/web-graph.ts drives.
export default defineConfig({
  root,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { input: { main: `${root}index.html`, bench: `${root}bench.html` } },
  },
  worker: { format: 'es' },
  server: { proxy: { '/graphql': 'http://localhost:4000' } },
});
