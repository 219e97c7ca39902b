import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inflateSync } from "node:zlib";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { closeQueues } from "@/server/queues/connection";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { rebuildRollups } from "@/server/analytics/rollup-build";
import { insertMeasurements, type SeedRow } from "@/server/analytics/test-seed";
import { unzip } from "@/server/reports/zip";
import { generateReport } from "@/server/reports/generate";
import { pgReportStorage } from "@/server/reports/storage";
import { deliverReport } from "@/server/reports/deliver";
import { scheduleMonthlyReports } from "@/server/reports/schedule";
import { parseJobHostEnv } from "@/server/jobs/env";
import { createJobHost, startJobs } from "@/server/jobs/worker";
import { reportJob, reportsScheduleJob } from "@/server/reports/jobs";
import { startSmtpSink } from "./test-smtp-sink";

let f: Fixture;
const H = 3600_000;

function pdfText(buf: Buffer): string {
  const s = buf.toString("latin1");
  let out = "";
  for (let i = s.indexOf("stream\n"); i >= 0; i = s.indexOf("stream\n", i + 1)) {
    const end = s.indexOf("\nendstream", i);
    if (end < 0) break;
    try {
      out += inflateSync(buf.subarray(i + 7, end)).toString("latin1");
    } catch {
      /* not a content stream */
    }
  }
  return out;
}

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  const p = f.a.point.id;
  const rows: SeedRow[] = [];
  const start = Date.UTC(2026, 1, 1, 3); // 2026-02-01 00:00 Santiago (UTC-3)
  // DGA-live from the first slot below: every hour from then to the month's end is owed.
  await getDb().capturePoint.update({
    where: { id: p },
    data: { annualVolumeM3: 500_000, dgaGoLiveAt: new Date(start + H) },
  });
  for (let i = 0; i <= 28 * 24; i++) {
    if (i >= 100 && i < 110) continue; // a 10-hour gap
    const ts = new Date(start + i * H);
    rows.push(
      { pointId: p, variable: "flow", ts, value: i === 200 ? 55 : 12 + (i % 5) },
      { pointId: p, variable: "totalizer", ts, value: 10_000 + i * 45 },
      { pointId: p, variable: "level", ts, value: 30 + (i % 24) / 10, quality: i === 300 ? "spike" : "ok" },
    );
  }
  await insertMeasurements(getPgPool(), rows);
  await rebuildRollups(getPgPool(), [p], new Date("2026-01-31T00:00:00Z"), new Date("2026-03-02T00:00:00Z"));
  const slot = (h: number, state: "sent" | "failed" | "requires_review", sentAfterMin?: number) => {
    const slotAt = new Date(start + h * H);
    return getDb().dgaSlot.create({
      data: {
        pointId: p,
        slotAt,
        standard: "mayor",
        state,
        reasons: [],
        receipt: state === "sent" ? `RCPT-${h}` : null,
        sentAt: sentAfterMin === undefined ? null : new Date(slotAt.getTime() + sentAfterMin * 60_000),
      },
    });
  };
  await slot(1, "sent", 5);
  await slot(2, "sent", 180);
  await slot(3, "failed");
  await slot(4, "requires_review");
});
afterAll(async () => {
  await closeQueues();
  await closeAll();
});

const storage = () => pgReportStorage(getDb());
const deps = () => ({
  db: getDb(),
  pool: getPgPool(),
  storage: storage(),
  now: () => new Date("2026-03-05T12:00:00Z"),
});
const stored = async (reportId: number) => (await storage().get(reportId)) ?? Buffer.alloc(0);
const newJob = (format: string, params: { month: string; deliver?: boolean } = { month: "2026-02" }) =>
  getDb().reportJob.create({ data: { clientId: f.clientA.id, kind: "monthly", format, params } });

describe("monthly report", () => {
  it("CSV: extraction, DGA and quality blocks with Chilean number format", async () => {
    const job = await newJob("csv");
    const progress: number[] = [];
    const out = await generateReport(deps(), job.id, async (p) => void progress.push(p));
    const csv = (await stored(job.id)).toString("utf8");
    expect(out.bytes).toBe(Buffer.byteLength(csv));
    expect(csv.startsWith("\ufeffInforme mensual de extracción;Cliente A")).toBe(true);
    expect(csv).toContain("Período;febrero de 2026");
    // 28 days × 24 h × 45 m3, the delta into the 00:00 reading belongs to January; the gap folds into the next delta: 671 × 45 = 30,195 m3.
    expect(csv).toContain("Pozo a;OB-0602-7;30195,0;");
    // 671 owed hours (Feb 1 01:00 to the month's end): 2 sent (1 late), 1 failed, 1 in review, 667 without a row.
    expect(csv).toMatch(/Pozo a;671;2;1;1;0;1;0;667;2;0,3/);
    expect(csv).toMatch(/Pozo a;672;662;10;10;/);
    expect(progress.at(-1)).toBe(100);
    const row = await getDb().reportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "done", progress: 100, fileName: "informe-cliente-a-2026-02.csv" });
  });

  it("XLSX opens as a zip with the sheet XML", async () => {
    const job = await newJob("xlsx");
    const out = await generateReport(deps(), job.id);
    const files = await unzip(await stored(job.id));
    expect(out.bytes).toBe(await storage().sizeBytes(job.id));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
      ]),
    );
    const wb = files.get("xl/workbook.xml")!.toString("utf8");
    expect(wb).toContain('name="Extracción"');
    expect(wb).toContain('name="Calidad"');
    const sheet2 = files.get("xl/worksheets/sheet2.xml")!.toString("utf8");
    expect(sheet2).toContain('<t xml:space="preserve">Pozo a</t>');
    expect(sheet2).toContain("<v>30195</v>");
    expect(sheet2).toContain("<v>55</v>"); // peak flow
    // Typed cells: volume with one decimal (style 4), days with data as an integer (style 3), a filter on the header.
    expect(sheet2).toMatch(/<c r="C2" s="4"><v>30195<\/v><\/c>/);
    expect(sheet2).toMatch(/<c r="M2" s="3"><v>\d+<\/v><\/c>/);
    expect(sheet2).toContain('<autoFilter ref="A1:M2"/>');
    expect(wb).toContain("_xlnm._FilterDatabase");
    // Days are spreadsheet dates (style 5): 2026-02-01 is serial 46054.
    const daily = files.get("xl/worksheets/sheet3.xml")!.toString("utf8");
    expect(daily).toMatch(/<c r="A2" s="5"><v>46054<\/v><\/c>/);
    const receipts = files.get("xl/worksheets/sheet5.xml")!.toString("utf8");
    expect(receipts).toMatch(/<c r="B2" s="6"><v>4605\d\.\d+<\/v><\/c>/);
    expect(receipts).toContain(">Enviado<");
    expect(receipts).not.toContain(">sent<");
  });

  it("a month without data says so in every format instead of pages of zeros", async () => {
    const csvJob = await newJob("csv", { month: "2026-05" });
    await generateReport(deps(), csvJob.id);
    const csv = (await stored(csvJob.id)).toString("utf8");
    expect(csv).toContain("Sin datos: ningún punto registró lecturas ni extracción en mayo de 2026.");
    const xJob = await newJob("xlsx", { month: "2026-05" });
    await generateReport(deps(), xJob.id);
    const files = await unzip(await stored(xJob.id));
    expect(files.get("xl/worksheets/sheet1.xml")!.toString("utf8")).toContain("Sin datos: ningún punto");
    const pJob = await newJob("pdf", { month: "2026-05" });
    await generateReport(deps(), pJob.id);
    expect(pdfText(await stored(pJob.id))).toContain("Sin datos: ning");
  });

  it("PDF starts with %PDF and carries the client name, tables and the chart", async () => {
    const job = await newJob("pdf");
    await generateReport(deps(), job.id);
    const pdf = await stored(job.id);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain("Cliente A");
    expect(pdf.toString("latin1").trimEnd().endsWith("%%EOF")).toBe(true);
    const text = pdfText(pdf);
    expect(text).toContain("(Cliente A) Tj");
    expect(text).toContain("(Pozo a) Tj");
    expect(text).toContain("Cumplimiento DGA");
    expect(text).toMatch(/ re f/); // chart bars
    // Headline figures in words: "2 de 671" sends, no "x / y".
    expect(text).toContain("(2 de 671) Tj");
    expect(text).toMatch(/\((Ninguno|1) de 1\) Tj/);
  });

  it("runs through the queue and worker with progress, and reports.get exposes the download URL", async () => {
    const running = await startJobs([reportJob, reportsScheduleJob], createJobHost(parseJobHostEnv(process.env)));
    try {
      const created = (await runOperation(operations.reports.create, getDb(), f.principals.managerA, {
        clientId: f.clientA.id,
        format: "xlsx",
        month: "2026-02",
      })) as { id: number };
      let state: { status: string; progress: number; downloadUrl: string | null } | undefined;
      for (let i = 0; i < 100; i++) {
        state = (await runOperation(operations.reports.get, getDb(), f.principals.viewerA, {
          id: created.id,
        })) as typeof state;
        if (state?.status === "done" || state?.status === "failed") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(state).toMatchObject({
        status: "done",
        progress: 100,
        downloadUrl: `/api/v1/analytics/reports/${created.id}/file`,
      });
      await expect(
        runOperation(operations.reports.get, getDb(), f.principals.managerB, { id: created.id }),
      ).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    } finally {
      await running.close();
    }
  });

  it("emails the monthly report to the client's recipients through SMTP", async () => {
    const sink = await startSmtpSink();
    try {
      // Subscribed the way a client manager does it, through the rules operation.
      await runOperation(operations.notificationRules.create, getDb(), f.principals.managerA, {
        clientId: f.clientA.id,
        name: "Informe",
        events: ["monthly_report"],
        channel: "email",
        target: "gerencia@cliente-a.cl",
        minSeverity: "info",
      });
      const job = await newJob("pdf", { month: "2026-02", deliver: true });
      await generateReport(deps(), job.id);
      const r = await deliverReport(
        {
          db: getDb(),
          storage: storage(),
          smtpUrl: sink.url,
          from: "SmartHydro <informes@smarthydro.cl>",
          now: () => new Date("2026-03-01T10:00:00Z"),
          appUrl: "https://portal.smarthydro.cl/",
        },
        job.id,
      );
      expect(r).toEqual({ sent: true, recipients: ["gerencia@cliente-a.cl"] });
      expect(sink.messages).toHaveLength(1);
      const m = sink.messages[0]!;
      expect(m).toMatchObject({ from: "informes@smarthydro.cl", to: ["gerencia@cliente-a.cl"] });
      expect(m.data).toContain("Content-Type: multipart/mixed");
      expect(m.data).toMatch(/filename="?informe-cliente-a-2026-02\.pdf"?/);
      // HTML with a link to the reports page, and the same words as plain text.
      expect(m.data).toContain("Content-Type: multipart/alternative");
      const qp = m.data
        .replace(/=\r\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
      expect(qp).toContain('href="https://portal.smarthydro.cl/reports"');
      expect(qp).toContain("Ver sus reportes: https://portal.smarthydro.cl/reports");
      const b64 =
        /Content-Disposition: attachment;[^\r\n]*\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(m.data)?.[1] ?? "";
      expect(Buffer.from(b64.replace(/\r\n/g, ""), "base64").subarray(0, 5).toString()).toBe("%PDF-");
      const sent = await getDb().notification.findMany({ where: { event: "monthly_report" } });
      expect(sent).toEqual([expect.objectContaining({ channel: "email", status: "sent", clientId: f.clientA.id })]);
    } finally {
      await sink.close();
    }
  });

  it("schedules last month's delivery once per client", async () => {
    const queued: number[] = [];
    const at = new Date("2026-03-01T10:00:00Z");
    const first = await scheduleMonthlyReports(getDb(), at, async (id) => void queued.push(id));
    const again = await scheduleMonthlyReports(getDb(), at, async (id) => void queued.push(id));
    expect(first.length).toBeGreaterThanOrEqual(1); // tenant B (tenant A already has a delivered 2026-02 job)
    expect(again).toEqual([]);
    const jobs = await getDb().reportJob.findMany({ where: { id: { in: first } } });
    expect(jobs.every((j) => j.format === "pdf" && (j.params as { month: string }).month === "2026-02")).toBe(true);
  });
});
