import { createDgaSandbox } from "./server";

const port = Number(process.env.DGA_SANDBOX_PORT ?? 4010);
const host = process.env.DGA_SANDBOX_HOST ?? "127.0.0.1";

const sandbox = createDgaSandbox({ latencyMs: Number(process.env.DGA_SANDBOX_LATENCY_MS ?? 0) });
const { baseUrl, url } = await sandbox.listen(port, host);
console.log(`DGA MEE sandbox on ${baseUrl} (admin: ${url}/__admin/{records,reset,faults,obras})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
