import { z } from "zod";
import { OPERATIONS } from "./operations";

/** OpenAPI 3.1 document generated from the operations' zod schemas: no hand-written copy that can drift. */
export function buildOpenApi(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    if (!op.rest) continue;
    const pathParams = [...op.rest.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const schema = z.toJSONSchema(op.input, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    const props = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const inQuery = op.rest.method === "GET" || op.rest.method === "DELETE";
    const parameters = [
      ...pathParams.map((p) => ({ name: p, in: "path", required: true, schema: props[p] ?? { type: "string" } })),
      ...(inQuery
        ? Object.entries(props)
            .filter(([k]) => !pathParams.includes(k))
            .map(([k, s]) => ({ name: k, in: "query", required: required.has(k), schema: s }))
        : []),
    ];
    const bodySchema = inQuery
      ? undefined
      : {
          ...schema,
          properties: Object.fromEntries(Object.entries(props).filter(([k]) => !pathParams.includes(k))),
          required: [...required].filter((k) => !pathParams.includes(k)),
        };
    const openapiPath = `/api/v1${op.rest.path}`;
    paths[openapiPath] ??= {};
    paths[openapiPath][op.rest.method.toLowerCase()] = {
      operationId: op.name,
      summary: op.summary,
      tags: [op.name.split(".")[0]],
      "x-scope": op.scope,
      "x-tenant": op.tenant.kind,
      parameters,
      ...(bodySchema
        ? { requestBody: { required: true, content: { "application/json": { schema: bodySchema } } } }
        : {}),
      responses: {
        [String(op.rest.status ?? 200)]: {
          description: op.csv ? "OK (CSV when the request's Accept includes text/csv)" : "OK",
          content: {
            "application/json": { schema: op.output ? z.toJSONSchema(op.output, { unrepresentable: "any" }) : {} },
            ...(op.csv ? { "text/csv": { schema: { type: "string" } } } : {}),
          },
        },
        "400": { $ref: "#/components/responses/Error" },
        "401": { $ref: "#/components/responses/Error" },
        "403": { $ref: "#/components/responses/Error" },
        "404": { $ref: "#/components/responses/Error" },
      },
      security: [{ bearer: [] }],
    };
  }
  paths["/api/v1/auth/token"] = {
    post: {
      operationId: "auth.token",
      summary: "Emite un JWT de corta duración (credenciales de usuario o clave de API)",
      tags: ["auth"],
      security: [],
      requestBody: {
        required: true,
        content: { "application/json": { schema: z.toJSONSchema(TokenRequestSchema, { io: "input" }) } },
      },
      responses: {
        "200": { description: "Token" },
        "401": { $ref: "#/components/responses/Error" },
        "429": { $ref: "#/components/responses/Error" },
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "SmartHydro API",
      version: "1.0.0",
      description: "API REST de SmartHydro para la app móvil e integraciones. Fechas en UTC (ISO 8601).",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "JWT de /auth/token o una clave de API (shk_…)" },
      },
      responses: {
        Error: {
          description: "Error",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  error: {
                    type: "object",
                    properties: {
                      code: { type: "string" },
                      message: { type: "string" },
                      details: {},
                      requestId: { type: "string" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths,
  };
}

export const TokenRequestSchema = z.union([
  z.object({
    grant_type: z.literal("password").default("password"),
    email: z.string().email(),
    password: z.string().min(1),
  }),
  z.object({ grant_type: z.literal("client_credentials"), client_secret: z.string().startsWith("shk_") }),
]);
