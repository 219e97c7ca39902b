import { clientIpFromForwarded } from "@/domain/net/ip";
import { env } from "@/server/env";

/** The caller's address, trusting exactly TRUSTED_PROXY_HOPS proxies (domain/net/ip.ts). */
export function requestClientIp(headers: Headers): string {
  return clientIpFromForwarded(headers.get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
}
