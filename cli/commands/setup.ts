import { env } from "@/server/env";
import { ensureDatabase, migrate } from "@/server/db/migrate";
import { parse, type Command } from "../lib";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "apply prisma/migrations to DATABASE_URL (creates the database if missing)",
  help: `Usage: smarthydro migrate

Applies every pending migration in prisma/migrations (Prisma-compatible bookkeeping, no engine).
Safe to run on every deploy; concurrent runs wait for each other.`,
  async run(argv) {
    parse(argv, {});
    const url = env().DATABASE_URL;
    await ensureDatabase(url);
    const n = await migrate(url, { log: (m) => console.log(m) });
    console.log(`${n} migration(s) applied`);
  },
};

export const seedDemoCommand: Command = {
  name: "seed-demo",
  summary: "load the demo clients, users, points and provider accounts (idempotent)",
  help: `Usage: smarthydro seed-demo [--production-demo] [--force]

Seeds the demo data set (the same as scripts/seed-demo.ts). For demos and staging only: the demo
users' passwords are public, so it refuses NODE_ENV=production (unless --production-demo: a demo
installation built for production) and a database holding non-demo clients or users (unless --force).`,
  async run(argv) {
    parse(argv, { force: { type: "boolean" }, "production-demo": { type: "boolean" } });
    await import("@/scripts/seed-demo");
    const { DEMO_USERS } = await import("@/server/seed/demo");
    console.log("Demo users (email / password / role):");
    for (const u of DEMO_USERS)
      console.log(
        `  ${u.email.padEnd(28)} ${u.password.padEnd(20)} ${u.staffRole ?? u.memberships.map((m) => m.role).join(",")}`,
      );
  },
};
