import { createDgaSandbox } from "./dga-sandbox/server";
import { startProviderSimulators } from "./providers/main";

/** Demo and e2e entry point: the four provider simulators and the DGA sandbox, on loopback. */
const host = process.env.SIM_HOST ?? "127.0.0.1";
const providers = await startProviderSimulators();
for (const [name, url] of Object.entries(providers.urls)) console.log(`[sim] ${name.padEnd(12)} ${url}`);

const sandbox = createDgaSandbox({ latencyMs: Number(process.env.DGA_SANDBOX_LATENCY_MS ?? 0) });
const dga = await sandbox.listen(Number(process.env.DGA_SANDBOX_PORT ?? 4010), host);
console.log(`[sim] dga-sandbox  ${dga.baseUrl}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void Promise.all([providers.close(), sandbox.close()]).then(() => process.exit(0));
  });
}
