import type { Metadata } from "next";
import { headers } from "next/headers";
import "./globals.css";
import { Providers } from "@/trpc/react";

export const metadata: Metadata = {
  title: "SmartHydro",
  description: "Monitoreo de extracciones de agua y reporte DGA",
};

/** Reading the request headers renders every page per request, which the CSP nonce (proxy.ts) needs. */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await headers();
  return (
    <html lang="es-CL">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
