import { buildOpenApi } from "@/server/api/openapi";

export const dynamic = "force-dynamic";

type OpDoc = {
  operationId: string;
  summary: string;
  "x-scope"?: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
};

/** Renders the generated OpenAPI document; nothing is loaded from outside the machine. */
export default function ApiDocsPage() {
  const doc = buildOpenApi("") as { paths: Record<string, Record<string, OpDoc>> };
  return (
    <main className="main" style={{ maxWidth: 1100, margin: "0 auto" }}>
      <h1>API REST de SmartHydro</h1>
      <p>
        Documento OpenAPI: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Autenticación:{" "}
        <code>POST /api/v1/auth/token</code> y luego <code>Authorization: Bearer &lt;token&gt;</code>, o una clave de
        API directamente.
      </p>
      <table>
        <thead>
          <tr>
            <th>Método</th>
            <th>Ruta</th>
            <th>Descripción</th>
            <th>Permiso</th>
            <th>Parámetros</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(doc.paths).flatMap(([path, methods]) =>
            Object.entries(methods).map(([method, op]) => (
              <tr key={`${method} ${path}`}>
                <td>
                  <code>{method.toUpperCase()}</code>
                </td>
                <td>
                  <code>{path}</code>
                </td>
                <td>{op.summary}</td>
                <td>{op["x-scope"] ?? "—"}</td>
                <td>
                  {(op.parameters ?? []).map((p) => `${p.name}${p.required ? "*" : ""} (${p.in})`).join(", ")}
                  {op.requestBody ? " · cuerpo JSON" : ""}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </main>
  );
}
