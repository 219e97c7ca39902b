/** Entry point of the REST API process (`node dist/app/api.mjs`, built by scripts/build.mjs; ADR 0014). */
import { env } from "@/server/env";
import { getLogger } from "@/server/logger";
import { serveUntilSignal } from "@/server/http/serve";
import { closeDb } from "@/server/db";
import { createApiServer } from "./api-server";
import { setLookupCacheTtl } from "./request-memo";

setLookupCacheTtl(env().API_LOOKUP_CACHE_SEC);
serveUntilSignal(createApiServer(), env().API_PORT, getLogger().child({ process: "api" }), "REST API", [closeDb]);
