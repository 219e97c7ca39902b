import { buildOpenApi } from "@/server/api/openapi";
import { PageHeader } from "@/components/ui/page";
import { ApiReference, type OpenApiDoc } from "@/components/api-docs/api-reference";

export const dynamic = "force-dynamic";
export const metadata = { title: "API REST · SmartHydro" };

/** The API reference inside the portal frame, rendered from the generated OpenAPI document. */
export default function ApiDocsPage() {
  const doc = buildOpenApi("") as unknown as OpenApiDoc;
  return (
    <>
      <PageHeader title="API REST de SmartHydro" subtitle="Referencia de operaciones, parámetros y ejemplos" />
      <ApiReference doc={doc} />
    </>
  );
}
