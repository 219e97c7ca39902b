/**
 * The demo's provider accounts as the simulators serve them and the demo seed registers them: one source
 * for both (simulators/providers/fleet.ts, server/seed/demo.ts), so push secrets and credentials stay in sync.
 */
export const DEMO_ACCOUNTS = {
  tdata: { basePath: "/tdata/v1", username: "demo", password: "demo-pass" },
  tts: {
    basePath: "/api/v3",
    applicationId: "smarthydro-nettra",
    apiKey: "NNSXS.DEMOSMARTHYDRO7QZ3XK.5V2LQ8M0TA4C9DHWJ1RBN6EYPFGUSIO3K7X2ZQ4M8VT",
    webhookSecret: "demo-tts-webhook-secret",
  },
  thethingsio: { basePath: "/v2" },
  tago: { basePath: "", actionSecret: "demo-tago-action-secret" },
};
