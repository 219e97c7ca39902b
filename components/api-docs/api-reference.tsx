import Link from "next/link";
import { scopeLabel } from "@/domain/i18n/labels";
import { exampleOf, fieldRows, typeText, type JsonSchema } from "./schema";

interface Param {
  name: string;
  in: string;
  required: boolean;
  schema?: JsonSchema;
}
interface Op {
  operationId: string;
  summary: string;
  tags?: string[];
  "x-scope"?: string;
  "x-tenant"?: string;
  parameters?: Param[];
  requestBody?: { content: { "application/json": { schema: JsonSchema } } };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: unknown[];
}
export interface OpenApiDoc {
  info: { title: string; description?: string; version: string };
  paths: Record<string, Record<string, Op>>;
}

const TAG_LABEL: Record<string, string> = {
  auth: "Autenticación",
  me: "Sesión",
  clients: "Clientes",
  modules: "Módulos",
  users: "Usuarios",
  points: "Puntos de captación",
  providers: "Proveedores",
  informantes: "Informantes DGA",
  collection: "Recolección",
  analytics: "Mediciones y alertas",
  compliance: "Cumplimiento DGA",
  notifications: "Notificaciones",
  notificationRules: "Reglas de notificación",
  alertRules: "Reglas de alerta",
  forecast: "Proyecciones",
  reports: "Reportes",
  apiKeys: "Claves de API",
  audit: "Auditoría",
};
const TENANT_LABEL: Record<string, string> = {
  client: "del cliente indicado (clientId)",
  clients: "del cliente indicado (clientId) o, sin él, de todos los clientes permitidos",
  record: "del cliente dueño del registro",
  platform: "de la plataforma (filtrados por los clientes visibles)",
  none: "de la plataforma",
};
const anchor = (method: string, path: string) => `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-");

function exampleUrl(path: string, params: Param[]): string {
  let url = path;
  const query: string[] = [];
  for (const p of params) {
    const v = exampleOf(p.schema, p.name);
    const text = Array.isArray(v) ? v.join(",") : String(v ?? "");
    if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(text || "1"));
    else if (p.required) query.push(`${p.name}=${encodeURIComponent(text)}`);
  }
  return query.length ? `${url}?${query.join("&")}` : url;
}

function Operation({ method, path, op }: { method: string; path: string; op: Op }) {
  const params = op.parameters ?? [];
  const body = op.requestBody?.content["application/json"].schema;
  const example = body ? JSON.stringify(exampleOf(body), null, 2) : null;
  const url = exampleUrl(path, params);
  const curl = [
    `curl -X ${method.toUpperCase()} "https://<su-portal>${url}"`,
    ...(op.security?.length === 0 ? [] : ['  -H "Authorization: Bearer <token o clave de API>"']),
    ...(example ? ['  -H "Content-Type: application/json"', `  -d '${JSON.stringify(exampleOf(body))}'`] : []),
  ].join(" \\\n");
  return (
    <details className="card api-op" id={anchor(method, path)} data-testid="api-op">
      <summary>
        <code className={`badge api-${method}`}>{method.toUpperCase()}</code> <code>{path}</code>{" "}
        <span className="muted">{op.summary}</span>
      </summary>
      <dl className="props small">
        <dt>Permiso</dt>
        <dd>{op["x-scope"] ? `${scopeLabel(op["x-scope"])} (${op["x-scope"]})` : "Ninguno"}</dd>
        {op["x-tenant"] && (
          <>
            <dt>Datos</dt>
            <dd>Solo {TENANT_LABEL[op["x-tenant"]] ?? op["x-tenant"]}</dd>
          </>
        )}
        <dt>Operación</dt>
        <dd>
          <code>{op.operationId}</code>
        </dd>
      </dl>
      {params.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="small muted">Parámetros</caption>
            <thead>
              <tr>
                <th>Nombre</th>
                <th>Dónde</th>
                <th>Tipo</th>
                <th>Obligatorio</th>
              </tr>
            </thead>
            <tbody>
              {params.map((p) => (
                <tr key={`${p.in}-${p.name}`}>
                  <td>
                    <code>{p.name}</code>
                  </td>
                  <td>{p.in === "path" ? "ruta" : "consulta"}</td>
                  <td>{typeText(p.schema, p.name)}</td>
                  <td>{p.required ? "Sí" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {body && (
        <div className="table-wrap">
          <table>
            <caption className="small muted">Cuerpo JSON</caption>
            <thead>
              <tr>
                <th>Campo</th>
                <th>Tipo</th>
                <th>Obligatorio</th>
              </tr>
            </thead>
            <tbody>
              {fieldRows(body).map((f) => (
                <tr key={f.name}>
                  <td>
                    <code>{f.name}</code>
                  </td>
                  <td>{f.type}</td>
                  <td>{f.required ? "Sí" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="small muted">Ejemplo</p>
      <pre className="api-example">{curl}</pre>
      <p className="small muted">
        Respuestas:{" "}
        {Object.entries(op.responses ?? {})
          .map(([code, r]) => `${code}${r.description && code.startsWith("2") ? ` (${r.description})` : ""}`)
          .join(", ")}
        . Los errores traen <code>{"{ error: { code, message, requestId } }"}</code>.
      </p>
    </details>
  );
}

/** The OpenAPI document rendered on the server: no script, no outside request, so it fits the nonce CSP. */
export function ApiReference({ doc }: { doc: OpenApiDoc }) {
  const byTag = new Map<string, { method: string; path: string; op: Op }[]>();
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "otros";
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  const tags = [...byTag.keys()].sort((a, b) => (TAG_LABEL[a] ?? a).localeCompare(TAG_LABEL[b] ?? b, "es"));
  return (
    <div className="api-docs">
      <p>
        <Link href="/">← Volver al portal</Link> · Documento OpenAPI 3.1:{" "}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
      </p>
      <p>
        {doc.info.description} Autenticación: <code>POST /api/v1/auth/token</code> y luego{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>, o una clave de API directamente. Cada clave solo ve los datos
        de su cliente y los permisos que se le dieron.
      </p>
      <nav aria-label="Secciones de la API" className="card small">
        {tags.map((t) => (
          <a key={t} href={`#tag-${t}`} style={{ marginRight: "1rem" }}>
            {TAG_LABEL[t] ?? t} ({byTag.get(t)!.length})
          </a>
        ))}
      </nav>
      {tags.map((t) => (
        <section key={t} id={`tag-${t}`} className="section stack">
          <h2>{TAG_LABEL[t] ?? t}</h2>
          {byTag.get(t)!.map((o) => (
            <Operation key={`${o.method} ${o.path}`} {...o} />
          ))}
        </section>
      ))}
    </div>
  );
}
