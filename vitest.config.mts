import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Kusto.Language takes ~1.5 s to warm up in each test file's process.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Results must never depend on a previous run; test/contentCache.test.ts covers the cache itself.
    env: { SENTINEL_IAC_CACHE: "off" },
  },
});
