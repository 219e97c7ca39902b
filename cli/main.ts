import { EXIT, UsageError, type Command } from "./lib";
import { migrateCommand, seedDemoCommand } from "./commands/setup";
import { createAdminCommand } from "./commands/create-admin";
import { collectCommand, replayCommand } from "./commands/pipeline";
import { dgaCommand } from "./commands/dga";
import { queuesCommand } from "./commands/queues";
import { backupCommand, restoreCommand } from "./commands/backup";

const COMMANDS: Command[] = [
  migrateCommand,
  seedDemoCommand,
  createAdminCommand,
  collectCommand,
  replayCommand,
  dgaCommand,
  queuesCommand,
  backupCommand,
  restoreCommand,
];

const USAGE = `smarthydro — SmartHydro operations CLI

Usage: smarthydro <command> [options]     (smarthydro <command> --help for details)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`).join("\n")}

Environment: DATABASE_URL, REDIS_URL, REDIS_NAMESPACE, AUTH_SECRET, ENCRYPTION_KEY (see docs/ADVANCED_CONFIG.md);
./.env is loaded when present. Exit codes: 0 ok, 1 failure, 2 usage error.`;

async function shutdown(): Promise<void> {
  const [{ closeDb }, { closePgPool }, { closeRedis }, { closeQueues }] = await Promise.all([
    import("@/server/db"),
    import("@/server/pg"),
    import("@/server/redis"),
    import("@/server/queues/connection"),
  ]);
  await Promise.allSettled([closeQueues(), closeDb(), closePgPool(), closeRedis()]);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`unknown command: ${name}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(cmd.help);
    return EXIT.ok;
  }
  try {
    return (await cmd.run(rest)) ?? EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`smarthydro ${name}: ${e.message}\n\n${cmd.help}`);
      return EXIT.usage;
    }
    console.error(`smarthydro ${name}: ${(e as Error).message}`);
    return EXIT.failure;
  } finally {
    await shutdown();
  }
}

process.exitCode = await main(process.argv.slice(2));
