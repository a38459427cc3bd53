import { defineConfig } from "vite";

// Built into the bundle's classes: ConsoleServlet serves them at /console/.
export default defineConfig({
  base: "/console/",
  build: {
    outDir: "../../../target/classes/console",
    emptyOutDir: true,
    target: "es2020",
    reportCompressedSize: true,
  },
});
