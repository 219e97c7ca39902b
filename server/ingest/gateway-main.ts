/**
 * Entry point of the ingest gateway process (`node dist/app/ingest.mjs`, built by scripts/build.mjs).
 * SIGTERM: the deliveries in flight finish (their rows stored and enqueued) before the process exits 0.
 */
import { env } from "@/server/env";
import { getLogger } from "@/server/logger";
import { serveUntilSignal } from "@/server/http/serve";
import { createIngestGateway } from "./gateway";

serveUntilSignal(createIngestGateway(), env().INGEST_PORT, getLogger().child({ process: "ingest" }), "ingest gateway");
