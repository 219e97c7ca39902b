import { handleTokenRequest } from "@/server/auth/token-endpoint";

export const dynamic = "force-dynamic";

export const POST = handleTokenRequest;
