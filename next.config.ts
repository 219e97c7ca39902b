import type { NextConfig } from "next";

const csp = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

const nextConfig: NextConfig = {
  // The image runs .next/standalone/server.js with the production node_modules (see Dockerfile).
  output: "standalone",

  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "pg-copy-streams", "@prisma/client", "bcryptjs"],
  poweredByHeader: false,
  typedRoutes: false,
  // `npm test` runs tsc over the whole repo; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    const security = [
      { key: "Content-Security-Policy", value: csp },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
    ];
    if (process.env.APP_URL?.startsWith("https://")) security.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
    return [{ source: "/:path*", headers: security }];
  },
};

export default nextConfig;
