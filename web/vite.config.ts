import { defineConfig } from 'vite';

// The built app is served by `pdh serve --web dist` at the site root, with SPA fallback.
// `npm run dev` proxies the API to a running `pdh serve` (PDH_API, default http://127.0.0.1:8080).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      // ECharts changes less often than the app: its own chunk stays cached across releases.
      output: { codeSplitting: { groups: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ }] } },
    },
  },
  server: {
    proxy: { '/api': process.env.PDH_API ?? 'http://127.0.0.1:8080' },
  },
});
