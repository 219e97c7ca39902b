import { createInterface } from "node:readline";
import bcrypt from "bcryptjs";
import { getDb } from "@/server/db";
import { UsageError, parse, required, type Command } from "../lib";

const MIN_PASSWORD = 12;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Prompts without echoing the typed characters. */
async function prompt(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError("no TTY to prompt for the password: use --password-stdin");
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  let asked = false;
  out._writeToOutput = (s: string) => {
    if (!asked) process.stderr.write(s);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
    asked = true;
  });
}

export const createAdminCommand: Command = {
  name: "create-admin",
  summary: "create a platform administrator (staff role admin)",
  help: `Usage: smarthydro create-admin --email <email> --name <name> [--password-stdin]

Creates an active user with the staff role "admin". The password (at least ${MIN_PASSWORD} characters)
is read from standard input with --password-stdin (one line), or prompted for without echo.
Fails (exit 1) when the e-mail already exists.

Example: printf '%s\\n' "$ADMIN_PASSWORD" | smarthydro create-admin --email ops@example.cl --name "Ops" --password-stdin`,
  async run(argv) {
    const { values } = parse(argv, {
      email: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean" },
    });
    const email = required(values.email, "email").trim().toLowerCase();
    const name = required(values.name, "name").trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError(`--email is not an e-mail address: ${email}`);
    const password = values["password-stdin"] ? await readStdin() : await prompt("Password: ");
    if (password.length < MIN_PASSWORD)
      throw new UsageError(`the password must have at least ${MIN_PASSWORD} characters`);
    const db = getDb();
    if (await db.user.findUnique({ where: { email } })) throw new Error(`a user with e-mail ${email} already exists`);
    const user = await db.user.create({
      data: { email, name, staffRole: "admin", passwordHash: await bcrypt.hash(password, 12) },
    });
    await db.auditLog.create({
      data: {
        actorLabel: "cli",
        action: "create",
        entity: "user",
        entityId: String(user.id),
        after: { email, name, staffRole: "admin" },
      },
    });
    console.log(`admin created: id ${user.id} <${email}>`);
  },
};
