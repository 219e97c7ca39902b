import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const alias = { "@": fileURLToPath(new URL("./", import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [
            "**/*.int.test.ts",
            "**/*.e2e.test.ts",
            "**/*.fault.test.ts",
            "node_modules/**",
            "tools/**",
            ".next/**",
          ],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          // next-auth imports "next/server" without an extension; inlined, Vite resolves it (route handlers under test).
          server: { deps: { inline: ["next-auth", "@auth/core"] } },
          exclude: ["node_modules/**", "tools/**", ".next/**"],
          environment: "node",
          globalSetup: ["./test/global-setup.ts"],
          setupFiles: ["./test/setup-file.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          // Fault injection (worker kills, Redis/PostgreSQL restarts, provider and DGA failures): restarts the
          // machine's services, so files run one at a time. FAULTS_FULL=1 for the bigger sizes.
          name: "faults",
          include: ["test/faults/**/*.fault.test.ts"],
          environment: "node",
          globalSetup: ["./test/global-setup.ts"],
          setupFiles: ["./test/setup-file.ts"],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          environment: "node",
          globalSetup: ["./e2e/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
