import { defineConfig } from "vite";

// Served by the WebFront under /app/ (see Hosting/WebClientEndpoints.cs); the output is a build artifact, git-ignored.
export default defineConfig({
  base: "/app/",
  build: {
    outDir: "../wwwroot/app",
    emptyOutDir: true,
    sourcemap: true,
  },
});
