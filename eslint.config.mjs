import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "generated/**",
      "dist/**",
      "tools/**",
      "next-env.d.ts",
      "e2e/screenshots/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read env only in server/env.ts, workers/env.ts or scripts.",
        },
      ],
    },
  },
  {
    // Env is read and validated in one place per process; scripts, tests and simulators are their own processes.
    files: [
      "server/env.ts",
      "workers/env.ts",
      "scripts/**",
      "bench/**",
      "simulators/**",
      "e2e/**",
      "**/*.test.ts",
      "**/*.int.test.ts",
      "test/**",
      "prisma.config.ts",
      "next.config.ts",
      "bin/**",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Plain-JS build and smoke scripts run on Node as they are.
    files: ["**/*.mjs"],
    languageOptions: {
      globals: Object.fromEntries(
        [
          "process",
          "console",
          "fetch",
          "setTimeout",
          "clearTimeout",
          "URL",
          "URLSearchParams",
          "Buffer",
          "AbortSignal",
        ].map((g) => [g, "readonly"]),
      ),
    },
  },
  {
    // Layers point one way: components and the tRPC client glue never reach back into app/ (routes and pages).
    files: ["components/**/*.{ts,tsx}", "trpc/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app/*"], message: "components/ must not import from app/." }] },
      ],
    },
  },
  {
    // server/ is shared by the web app and the worker host: it never reaches back into workers/ (the host imports
    // server/, not the reverse) nor into simulators/ (demo and test doubles; tests may use them as fakes).
    files: ["server/**/*.ts"],
    ignores: ["server/**/*.test.ts", "server/**/test-*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/workers", "@/workers/*"], message: "server/ must not import from workers/." },
            { group: ["@/simulators", "@/simulators/*"], message: "server/ must not import from simulators/." },
          ],
        },
      ],
    },
  },
  {
    files: ["server/**/*.test.ts", "server/**/test-*.ts", "test/faults/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/workers", "@/workers/*"], message: "server/ and fault tests must not import from workers/." },
          ],
        },
      ],
    },
  },
  {
    // domain/ is pure: no DB, network, framework, env or clock.
    files: ["domain/**/*.ts"],
    ignores: ["domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@/server/*",
                "@/workers/*",
                "@/app/*",
                "@/generated/*",
                "@prisma/*",
                "next",
                "next/*",
                "next-auth",
                "ioredis",
                "bullmq",
                "pg",
                "pg-copy-streams",
                "node:*",
                "fs",
                "http",
                "https",
                "pino",
                "prom-client",
              ],
              message: "domain/ must stay pure (zod only).",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='process']", message: "domain/ must not read env." },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "domain/ takes time as a parameter.",
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "domain/ takes time as a parameter.",
        },
        { selector: "CallExpression[callee.name='fetch']", message: "domain/ does no I/O." },
      ],
    },
  },
);
