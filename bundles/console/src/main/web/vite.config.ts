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
  // the unit tests read the module configuration's schema (test/checkers.test.ts)
  server: { fs: { allow: [".", "../../../../../config/xsd"] } },
});
