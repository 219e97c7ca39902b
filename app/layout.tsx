import type { Metadata } from "next";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = { title: "SmartHydro", description: "Monitoreo de extracciones de agua y reporte DGA" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="es-CL">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
