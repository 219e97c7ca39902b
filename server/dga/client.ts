import { DGA_PATHS, type PointKind } from "@/domain/dga/contract";
import type { DgaRequest } from "@/domain/dga/payload";

export interface DgaHttpResult {
  url: string;
  /** null: no answer (timeout or network error). */
  httpStatus: number | null;
  bodyText: string | null;
  durationMs: number;
  error: string | null;
}

export type FetchLike = typeof fetch;

const join = (baseUrl: string, path: string) => `${baseUrl.replace(/\/+$/, "")}${path}`;

async function call(url: string, init: RequestInit, timeoutMs: number, fetchImpl: FetchLike): Promise<DgaHttpResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = performance.now();
  try {
    const res = await fetchImpl(url, { ...init, signal: controller.signal });
    const bodyText = await res.text();
    return { url, httpStatus: res.status, bodyText, durationMs: Math.round(performance.now() - started), error: null };
  } catch (e) {
    const error = controller.signal.aborted
      ? `timeout after ${timeoutMs} ms`
      : e instanceof Error
        ? e.message
        : String(e);
    return { url, httpStatus: null, bodyText: null, durationMs: Math.round(performance.now() - started), error };
  } finally {
    clearTimeout(timer);
  }
}

/** One MEE measurement POST. Never throws: a timeout or network error comes back as httpStatus null. */
export function postMeasurement(input: {
  baseUrl: string;
  request: DgaRequest;
  timeoutMs: number;
  fetchImpl?: FetchLike;
}): Promise<DgaHttpResult> {
  const { request } = input;
  return call(
    join(input.baseUrl, request.path),
    { method: "POST", headers: { ...request.headers }, body: JSON.stringify(request.body) },
    input.timeoutMs,
    input.fetchImpl ?? fetch,
  );
}

/** MEE receipt check (GET, no auth documented). */
export function getReceipt(input: {
  baseUrl: string;
  kind: PointKind;
  obraCode: string;
  receipt: string;
  timeoutMs: number;
  fetchImpl?: FetchLike;
}): Promise<DgaHttpResult> {
  const query = new URLSearchParams({ codigoObra: input.obraCode, numeroComprobante: input.receipt });
  return call(
    join(input.baseUrl, `${DGA_PATHS[input.kind]}?${query.toString()}`),
    { method: "GET", headers: { Accept: "application/json" } },
    input.timeoutMs,
    input.fetchImpl ?? fetch,
  );
}
