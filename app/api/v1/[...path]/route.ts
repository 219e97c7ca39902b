import { handleRest } from "@/server/api/rest";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ path: string[] }> };
const serve = async (req: Request, { params }: Ctx) => handleRest(req, `/${(await params).path.join("/")}`);

export const GET = serve;
export const POST = serve;
export const PUT = serve;
export const DELETE = serve;
