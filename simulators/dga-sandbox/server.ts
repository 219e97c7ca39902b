import type { IncomingMessage, ServerResponse } from "node:http";
import { createJsonServer, HttpError, readBody, sendJson, type RunningServer } from "../lib/http";
import { checkPost, echoValue, ENDPOINTS, isStrictRut, MESSAGES, OBRA_CODE_RE, type EndpointSpec } from "./contract";
import { SandboxStore } from "./store";

const BASE_PATH = "/api/v1";

const FAULT_MODES = ["none", "timeout_after_store", "error_5xx", "wrong_informante", "slow"] as const;
type FaultMode = (typeof FAULT_MODES)[number];

export interface Faults {
  mode: FaultMode;
  /** How many measurement POSTs the fault applies to; unset = until changed. */
  count?: number;
  /** timeout_after_store: answer after this delay (unset = never answer); slow: delay before handling. */
  delayMs?: number;
}

export interface DgaSandboxOptions {
  latencyMs?: number;
  faults?: Faults;
  /** auto_register: the first informante seen for an obra becomes its informante. */
  informantePolicy?: "auto_register" | "require_seeded";
  /** Refuse measurements later than clock() + this (default 10 min). */
  futureToleranceMs?: number;
  clock?: () => Date;
}

export interface DgaSandbox {
  listen(port?: number, host?: string): Promise<{ port: number; url: string; baseUrl: string }>;
  close(): Promise<void>;
  store: SandboxStore;
  setFaults(faults: Faults): void;
}

const error = (res: ServerResponse, http: number, message: string) =>
  sendJson(res, http, { status: "99", message, data: null });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req, 64 * 1024);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "JSON inválido");
  }
}

/** Strict stand-in for MEE (apimee.mop.gob.cl/api/v1) on node:http, with admin endpoints and fault injection. */
export function createDgaSandbox(opts: DgaSandboxOptions = {}): DgaSandbox {
  const store = new SandboxStore();
  const clock = opts.clock ?? (() => new Date());
  const timers = new Set<NodeJS.Timeout>();
  let faults: Faults = opts.faults ?? { mode: "none" };
  let running: RunningServer | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function takeFault(): Faults | null {
    if (faults.mode === "none") return null;
    const current = faults;
    if (current.count !== undefined) {
      faults = current.count <= 1 ? { mode: "none" } : { ...current, count: current.count - 1 };
    }
    return current;
  }

  async function handlePost(spec: EndpointSpec, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = req.headers["content-type"] ?? "";
    if (!/^application\/json\b/i.test(contentType)) return error(res, 415, "Content-Type debe ser application/json");
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      if (e instanceof HttpError) return error(res, e.status, e.message);
      throw e;
    }
    const check = checkPost(spec, req.headers, body);
    if (!check.ok) return error(res, 400, check.message);
    const { post } = check;
    const { fechaMedicion, horaMedicion } = post.measurement as { fechaMedicion: string; horaMedicion: string };
    store.countPost(post.codigoObra, fechaMedicion, horaMedicion);

    const fault = takeFault();
    if (fault?.mode === "error_5xx") {
      res.writeHead(503, { "Content-Type": "text/html" });
      res.end("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
      return;
    }
    if (fault?.mode === "wrong_informante") return error(res, 400, MESSAGES.wrongInformante);
    if (fault?.mode === "slow") await sleep(fault.delayMs ?? 2000);

    const measuredAt = Date.parse(`${fechaMedicion}T${horaMedicion}-04:00`);
    if (measuredAt > clock().getTime() + (opts.futureToleranceMs ?? 600_000))
      return error(res, 400, "fechaMedicion/horaMedicion no puede ser futura");

    const registered = store.informantes.get(post.codigoObra);
    if (registered) {
      if (registered.rutUsuario !== post.autenticacion.rutUsuario) return error(res, 400, MESSAGES.wrongInformante);
      if (registered.password !== post.autenticacion.password) return error(res, 400, MESSAGES.badPassword);
    } else if (opts.informantePolicy === "require_seeded") {
      return error(res, 400, MESSAGES.obraNotRegistered);
    } else {
      store.informantes.set(post.codigoObra, {
        rutUsuario: post.autenticacion.rutUsuario,
        password: post.autenticacion.password,
      });
    }

    const existing = store.find(post.codigoObra, fechaMedicion, horaMedicion);
    if (existing) {
      store.markDuplicate(post.codigoObra, fechaMedicion, horaMedicion);
      return error(res, 400, MESSAGES.duplicate(existing.receipt));
    }
    const record = store.insert(
      {
        kind: spec.kind,
        codigoObra: post.codigoObra,
        fechaMedicion,
        horaMedicion,
        measurement: post.measurement,
        emptyOptionalFields: Object.keys(post.measurement).filter((k) => post.measurement[k] === ""),
        rutEmpresa: post.autenticacion.rutEmpresa,
        rutUsuario: post.autenticacion.rutUsuario,
        timeStampOrigen: post.timeStampOrigen,
      },
      clock(),
    );
    if (fault?.mode === "timeout_after_store") {
      if (fault.delayMs === undefined) return; // stored, never answered: the client times out
      await sleep(fault.delayMs);
    }
    sendJson(res, 200, { status: "00", message: spec.successMessage, data: { numeroComprobante: record.receipt } });
  }

  function handleGet(spec: EndpointSpec, url: URL, res: ServerResponse): void {
    const codigoObra = url.searchParams.get("codigoObra");
    const receipt = url.searchParams.get("numeroComprobante");
    if (!codigoObra || !receipt) return error(res, 400, "codigoObra y numeroComprobante son requeridos");
    const record = store.findByReceipt(codigoObra, receipt);
    if (!record || record.kind !== spec.kind) return error(res, 404, MESSAGES.notFound);
    const data = Object.fromEntries(spec.echoOrder.map((f) => [f, echoValue(f, record.measurement[f] ?? "")]));
    sendJson(res, 200, { status: "00", message: "", data });
  }

  async function handleAdmin(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /__admin/records") return sendJson(res, 200, { ...store.all(), faults });
    if (route === "POST /__admin/reset") {
      store.reset();
      faults = { mode: "none" };
      return sendJson(res, 200, { ok: true });
    }
    if (route === "POST /__admin/faults") {
      const b = (await readJson(req)) as Partial<Faults> | null;
      const valid =
        b &&
        FAULT_MODES.includes(b.mode as FaultMode) &&
        (b.count === undefined || (Number.isInteger(b.count) && b.count > 0)) &&
        (b.delayMs === undefined || (Number.isFinite(b.delayMs) && b.delayMs >= 0));
      if (!valid)
        return sendJson(res, 400, {
          error: `mode must be one of ${FAULT_MODES.join(", ")}; count a positive integer; delayMs ≥ 0`,
        });
      faults = { mode: b.mode as FaultMode, count: b.count, delayMs: b.delayMs };
      return sendJson(res, 200, { faults });
    }
    if (route === "POST /__admin/obras") {
      const b = (await readJson(req)) as { codigoObra?: unknown; rutUsuario?: unknown; password?: unknown } | null;
      if (
        !b ||
        typeof b.codigoObra !== "string" ||
        !OBRA_CODE_RE.test(b.codigoObra) ||
        !isStrictRut(b.rutUsuario) ||
        typeof b.password !== "string" ||
        !b.password
      ) {
        return sendJson(res, 400, {
          error: "codigoObra (OB|OR-RRPP-N), rutUsuario (módulo 11, no dots) and password are required",
        });
      }
      store.informantes.set(b.codigoObra, { rutUsuario: b.rutUsuario, password: b.password });
      return sendJson(res, 201, { codigoObra: b.codigoObra, rutUsuario: b.rutUsuario });
    }
    sendJson(res, 404, { error: "unknown admin route" });
  }

  const server = createJsonServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    if (url.pathname.startsWith("/__admin/")) return handleAdmin(req, url, res);
    if (!url.pathname.startsWith(`${BASE_PATH}/`)) return error(res, 404, "Recurso no encontrado");
    const spec = ENDPOINTS[url.pathname.slice(BASE_PATH.length)];
    if (!spec) return error(res, 404, "Recurso no encontrado");
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (req.method === "POST") return handlePost(spec, req, res);
    if (req.method === "GET") return handleGet(spec, url, res);
    res.setHeader("Allow", "GET, POST");
    error(res, 405, "Método no permitido");
  });

  return {
    store,
    setFaults: (f) => {
      faults = f;
    },
    async listen(port = 0, host = "127.0.0.1") {
      running = await server.listen(port, host);
      const url = `http://${host}:${running.port}`;
      return { port: running.port, url, baseUrl: `${url}${BASE_PATH}` };
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await running?.close();
      running = null;
    },
  };
}
