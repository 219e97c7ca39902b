import Link from "next/link";
import { Logo } from "@/components/shell/logo";

export const metadata = { title: "Página no encontrada · SmartHydro" };

/** Spanish 404 for any unknown address, inside or outside the portal. */
export default function NotFound() {
  return (
    <div className="login-page">
      <main className="login card" aria-labelledby="nf-title">
        <h1 id="nf-title" style={{ display: "flex", alignItems: "center", gap: ".5rem" }}>
          <Logo size={32} /> Página no encontrada
        </h1>
        <p>La dirección no existe o ya no está disponible. Si llegó desde un enlace, puede que esté desactualizado.</p>
        <p>
          <Link href="/">Volver al inicio</Link>
        </p>
      </main>
    </div>
  );
}
