import { ensureDatabase, migrate } from "@/server/db/migrate";

const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/smarthydro";
await ensureDatabase(url);
const n = await migrate(url, { log: (m) => console.log(m) });
console.log(`${n} migration(s) applied`);
