import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildRequest, measurementOf, type BuildRequestInput, type DgaRequest } from "@/domain/dga/payload";
import { compareReceiptData, consultUrl } from "@/domain/dga/receipt";
import { classifyResponse } from "@/domain/dga/response";
import { DEFAULT_STANDARDS } from "@/domain/dga/standards";
import { createDgaSandbox, type DgaSandbox } from "./server";

const CENTRO_CONTROL = "76455593-7";
const INFORMANTE = { rut: "12345678-5", password: "clave-mee" };

let sandbox: DgaSandbox;
let url = "";
let baseUrl = "";

beforeAll(async () => {
  sandbox = createDgaSandbox();
  ({ url, baseUrl } = await sandbox.listen(0, "127.0.0.1"));
});
afterAll(() => sandbox.close());
beforeEach(() => fetch(`${url}/__admin/reset`, { method: "POST" }));

let hour = 0;
function request(over: Partial<BuildRequestInput> = {}): DgaRequest {
  hour += 1;
  return buildRequest({
    kind: "groundwater",
    obraCode: "OB-0602-7",
    values: { flowLps: 25.7, totalizerM3: 1_234_567.9, levelM: 0, heightCm: 42 },
    slotAt: new Date(Date.UTC(2026, 5, 1, 4 + hour)),
    rule: DEFAULT_STANDARDS.mayor,
    informante: INFORMANTE,
    centroControlRut: CENTRO_CONTROL,
    now: new Date("2026-06-09T14:03:00Z"),
    ...over,
  });
}

async function post(
  req: DgaRequest,
  opts: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
) {
  try {
    const res = await fetch(`${baseUrl}${req.path}`, {
      method: "POST",
      headers: { ...req.headers, ...opts.headers },
      body: JSON.stringify(opts.body ?? req.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
    });
    const text = await res.text();
    return {
      status: res.status as number | null,
      text,
      json: JSON.parse(text.startsWith("{") ? text : "{}") as {
        status?: string;
        message?: string;
        data?: { numeroComprobante?: string } | null;
      },
    };
  } catch {
    return { status: null, text: "", json: {} };
  }
}

const records = async () =>
  (await (await fetch(`${url}/__admin/records`)).json()) as {
    records: { receipt: string; measurement: Record<string, string>; emptyOptionalFields: string[] }[];
    posts: {
      codigoObra: string;
      fechaMedicion: string;
      horaMedicion: string;
      posts: number;
      duplicates: number;
      stored: boolean;
    }[];
  };

const setFaults = (faults: unknown) =>
  fetch(`${url}/__admin/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(faults),
  });

describe("DGA sandbox: accepted measurements", () => {
  it.each([
    ["groundwater", "OB-0602-7", "Medición subterránea ingresada correctamente"],
    ["surface", "OB-0303-204", "Medición superficial ingresada correctamente"],
    ["surface_flowmeter", "OR-0101-108", "Medición superficial con flujómetro ingresada correctamente"],
  ] as const)("accepts a %s POST built by the domain and echoes it on GET", async (kind, obraCode, message) => {
    const req = request({ kind, obraCode });
    const res = await post(req);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "00", message });
    const receipt = res.json.data?.numeroComprobante ?? "";
    expect(receipt).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(classifyResponse({ httpStatus: res.status, bodyText: res.text })).toEqual({
      kind: "sent",
      receipt,
      message,
    });

    const got = await fetch(consultUrl(kind, obraCode, receipt, baseUrl), { headers: { Accept: "application/json" } });
    const echo = (await got.json()) as { status: string; message: string; data: Record<string, string> };
    expect(echo.status).toBe("00");
    expect(echo.data.fechaMedicion).toMatch(/^\d{2}-\d{2}-\d{4}$/);
    expect(echo.data.caudal).toBe("25.7");
    expect(compareReceiptData(measurementOf(req.body), echo.data)).toEqual({ match: true, diffs: [] });
  });

  it("echoes 0.00 as 0.0 and keeps integers", async () => {
    const req = request({ values: { flowLps: 0, totalizerM3: 1010, levelM: 9.85, heightCm: null } });
    const receipt = (await post(req)).json.data?.numeroComprobante ?? "";
    const echo = (await (await fetch(consultUrl("groundwater", "OB-0602-7", receipt, baseUrl))).json()) as {
      data: Record<string, string>;
    };
    expect(echo.data).toMatchObject({ caudal: "0.0", totalizador: "1010", nivelFreaticoDelPozo: "9.85" });
  });

  it("accepts an empty level but records it", async () => {
    const req = request({
      values: { flowLps: 1, totalizerM3: 5, levelM: null, heightCm: null },
      rule: DEFAULT_STANDARDS.muy_pequenos,
    });
    expect((await post(req)).status).toBe(200);
    expect((await records()).records[0]?.emptyOptionalFields).toEqual(["nivelFreaticoDelPozo"]);
  });

  it("answers 404 for an unknown receipt or the wrong obra", async () => {
    const receipt = (await post(request())).json.data?.numeroComprobante ?? "";
    expect((await fetch(consultUrl("groundwater", "OB-0602-8", receipt, baseUrl))).status).toBe(404);
    expect((await fetch(consultUrl("groundwater", "OB-0602-7", "X".repeat(32), baseUrl))).status).toBe(404);
  });
});

describe("DGA sandbox: strict formats", () => {
  const measurementCases: [string, Record<string, unknown>][] = [
    ["caudal with 1 decimal", { caudal: "25.7" }],
    ["caudal with a comma", { caudal: "25,70" }],
    ["caudal as a JSON number", { caudal: 25.7 }],
    ["totalizador with decimals", { totalizador: "1234567.9" }],
    ["totalizador with thousands separators", { totalizador: "1.234.567" }],
    ["totalizador longer than 15 chars", { totalizador: "1234567890123456" }],
    ["nivel with 3 decimals", { nivelFreaticoDelPozo: "9.850" }],
    ["impossible date", { fechaMedicion: "2026-02-30" }],
    ["DD-MM-YYYY date", { fechaMedicion: "09-06-2026" }],
    ["hour 24", { horaMedicion: "24:00:00" }],
    ["JSON null totalizer", { totalizador: null }],
    ["an extra field", { alturaLimnimetrica: "10" }],
  ];
  it.each(measurementCases)("rejects %s", async (_label, patch) => {
    const req = request();
    const body = { ...req.body, medicionSubterranea: { ...measurementOf(req.body), ...patch } };
    const res = await post(req, { body });
    expect(res.status).toBe(400);
    expect(res.json.status).not.toBe("00");
    expect(res.json.message).toBeTruthy();
    expect(classifyResponse({ httpStatus: res.status, bodyText: res.text }).kind).toBe("rejected");
  });

  it.each<[string, (r: DgaRequest) => { body?: unknown; headers?: Record<string, string> }]>([
    [
      "the manual's sample RUTs (fail módulo 11)",
      (r) => ({
        body: { ...r.body, autenticacion: { password: "x", rutEmpresa: "77555666-7", rutUsuario: "20999888-7" } },
      }),
    ],
    [
      "a dotted RUT",
      (r) => ({ body: { ...r.body, autenticacion: { ...r.body.autenticacion, rutEmpresa: "76.455.593-7" } } }),
    ],
    ["an empty password", (r) => ({ body: { ...r.body, autenticacion: { ...r.body.autenticacion, password: "" } } })],
    ["a padded obra correlative", () => ({ headers: { codigoObra: "OB-0602-07" } })],
    ["timeStampOrigen with Z", () => ({ headers: { timeStampOrigen: "2026-06-09T10:03:00Z" } })],
    ["timeStampOrigen with an ISO offset", () => ({ headers: { timeStampOrigen: "2026-06-09T10:03:00-04:00" } })],
    [
      "the wrong measurement object for the path",
      (r) => ({ body: { autenticacion: r.body.autenticacion, medicionSuperficialFlujometro: measurementOf(r.body) } }),
    ],
    ["a future measurement", () => ({ body: request({ slotAt: new Date("2099-01-01T04:00:00Z") }).body })],
  ])("rejects %s", async (_label, mutate) => {
    const req = request();
    const res = await post(req, mutate(req));
    expect(res.status).toBe(400);
    expect(res.json.status).toBe("99");
  });

  it("rejects a missing Content-Type, bad JSON and oversized bodies", async () => {
    const req = request();
    const noType = await fetch(`${baseUrl}${req.path}`, {
      method: "POST",
      headers: { codigoObra: req.headers.codigoObra, timeStampOrigen: req.headers.timeStampOrigen },
      body: JSON.stringify(req.body),
    });
    expect(noType.status).toBe(415);
    const badJson = await fetch(`${baseUrl}${req.path}`, {
      method: "POST",
      headers: { ...req.headers },
      body: "{nope",
    });
    expect(badJson.status).toBe(400);
    const big = await fetch(`${baseUrl}${req.path}`, {
      method: "POST",
      headers: { ...req.headers },
      body: JSON.stringify({ pad: "x".repeat(100_000) }),
    });
    expect(big.status).toBe(413);
    expect((await records()).records).toEqual([]);
  });
});

describe("DGA sandbox: duplicates and informantes", () => {
  it("answers a duplicate with the existing receipt and counts both POSTs", async () => {
    const req = request();
    const first = (await post(req)).json.data?.numeroComprobante;
    const second = await post(req);
    expect(second.status).toBe(400);
    expect(second.json.message).toBe(`Ya existe un registro en esa fecha, hora para la obra. Comprobante: ${first}`);
    expect(classifyResponse({ httpStatus: second.status, bodyText: second.text })).toMatchObject({
      kind: "duplicate",
      receipt: first,
    });
    const { records: stored, posts } = await records();
    expect(stored).toHaveLength(1);
    const { fechaMedicion, horaMedicion } = measurementOf(req.body);
    expect(posts).toEqual([
      { codigoObra: "OB-0602-7", fechaMedicion, horaMedicion, posts: 2, duplicates: 1, stored: true },
    ]);
  });

  it("registers the first informante and refuses another one", async () => {
    expect((await post(request())).status).toBe(200);
    const other = await post(request({ informante: { rut: "15678901-1", password: "otra" } }));
    expect(classifyResponse({ httpStatus: other.status, bodyText: other.text }).kind).toBe("wrong_informante");
    expect((await post(request({ informante: { rut: INFORMANTE.rut, password: "mala" } }))).status).toBe(400);
  });

  it("honours a seeded informante", async () => {
    const seed = await fetch(`${url}/__admin/obras`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ codigoObra: "OB-0901-78", rutUsuario: "15678901-1", password: "p" }),
    });
    expect(seed.status).toBe(201);
    const res = await post(request({ obraCode: "OB-0901-78" }));
    expect(res.json.message).toBe("Usuario no es el informante registrado en la Obra");
    expect(
      (await post(request({ obraCode: "OB-0901-78", informante: { rut: "15678901-1", password: "p" } }))).status,
    ).toBe(200);
  });

  it("can require seeded obras", async () => {
    const strict = createDgaSandbox({ informantePolicy: "require_seeded" });
    const { baseUrl: strictBase } = await strict.listen(0, "127.0.0.1");
    try {
      const req = request();
      const res = await fetch(`${strictBase}${req.path}`, {
        method: "POST",
        headers: { ...req.headers },
        body: JSON.stringify(req.body),
      });
      expect(res.status).toBe(400);
      expect(strict.store.all().records).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});

describe("DGA sandbox: faults", () => {
  it("timeout_after_store: stores, never answers; the resend gets the duplicate with the receipt", async () => {
    await setFaults({ mode: "timeout_after_store", count: 1 });
    const req = request();
    const first = await post(req, { timeoutMs: 300 });
    expect(first.status).toBeNull();
    expect(classifyResponse({ httpStatus: first.status, bodyText: null })).toMatchObject({
      kind: "unknown",
      reason: "no_response",
    });
    const stored = (await records()).records;
    expect(stored).toHaveLength(1);

    const resend = await post(req);
    expect(classifyResponse({ httpStatus: resend.status, bodyText: resend.text })).toMatchObject({
      kind: "duplicate",
      receipt: stored[0]?.receipt,
    });
    expect((await records()).posts[0]).toMatchObject({ posts: 2, duplicates: 1, stored: true });
  });

  it("timeout_after_store with delayMs answers late", async () => {
    await setFaults({ mode: "timeout_after_store", count: 1, delayMs: 200 });
    const started = performance.now();
    const res = await post(request());
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("error_5xx: answers 503 for `count` requests without storing", async () => {
    await setFaults({ mode: "error_5xx", count: 2 });
    const a = await post(request());
    const b = await post(request());
    const c = await post(request());
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(classifyResponse({ httpStatus: a.status, bodyText: a.text })).toMatchObject({
      kind: "unknown",
      reason: "server_error",
    });
    expect((await records()).records).toHaveLength(1);
  });

  it("wrong_informante and slow", async () => {
    sandbox.setFaults({ mode: "wrong_informante", count: 1 });
    const wrong = await post(request());
    expect(classifyResponse({ httpStatus: wrong.status, bodyText: wrong.text }).kind).toBe("wrong_informante");

    await setFaults({ mode: "slow", delayMs: 150 });
    const started = performance.now();
    expect((await post(request())).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rejects an unknown fault mode", async () => {
    expect((await setFaults({ mode: "explode" })).status).toBe(400);
  });
});
