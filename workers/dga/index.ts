import pg from "pg";
import type { WorkerKind } from "../registry";
import { dgaConfig } from "@/server/dga/config";
import { startDgaWorkers } from "./start";

const DEFAULT_SUBMIT_CONCURRENCY = 96;

export const dgaWorkerKind: WorkerKind = {
  async start(env) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 24 });
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {})); // see server/pg.ts
    const cfg = dgaConfig({ workerId: `${env.WORKER_ID}-dga` });
    const workers = await startDgaWorkers({
      pool,
      cfg,
      cycle: true,
      submitConcurrency: Math.max(DEFAULT_SUBMIT_CONCURRENCY, env.WORKER_CONCURRENCY),
    });
    return {
      async close() {
        await workers.close();
        await pool.end();
      },
    };
  },
};

export default dgaWorkerKind;
