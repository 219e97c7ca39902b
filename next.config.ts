import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The image runs .next/standalone/server.js with the production node_modules (see Dockerfile).
  output: "standalone",

  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "pg-copy-streams", "@prisma/client", "bcryptjs"],
  poweredByHeader: false,
  typedRoutes: false,
  // `npm test` runs tsc over the whole repo; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    // The Content-Security-Policy (with a per-request nonce) is set by proxy.ts.
    const security = [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
    ];
    if (process.env.APP_URL?.startsWith("https://"))
      security.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
    return [{ source: "/:path*", headers: security }];
  },
};

export default nextConfig;
