/** Next.js calls this once per server process before serving requests. */
export async function register() {
  // NEXT_RUNTIME is set by Next.js itself (not configuration): the patch is for the Node.js server only.
  // eslint-disable-next-line no-restricted-syntax
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { appendSocketAddressToForwardedFor } = await import("@/server/http/socket-forwarded");
  appendSocketAddressToForwardedFor();
}
