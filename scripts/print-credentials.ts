import { DEMO_USERS } from "@/server/seed/demo";

const url = process.env.APP_URL ?? "http://127.0.0.1:3000";
console.log(`\nSmartHydro is running at ${url}\n`);
console.log("Demo users (email / password / role):");
for (const u of DEMO_USERS) console.log(`  ${u.email.padEnd(28)} ${u.password.padEnd(20)} ${u.staffRole ?? u.memberships.map((m) => m.role).join(",")}`);
console.log(`\nAPI docs: ${url}/api-docs · OpenAPI: ${url}/api/v1/openapi.json · health: ${url}/api/health\n`);
