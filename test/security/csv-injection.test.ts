import { describe, expect, it } from "vitest";
import { MACHINE_CSV, SPREADSHEET_CSV, csvCell, toCsv } from "@/domain/csv";
import { renderCsv } from "@/server/reports/render";
import { receiptsCsv } from "@/server/dga/compliance-read";
import type { MonthlyReportData } from "@/server/reports/data";

const EVIL = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"];

/** Finding 3: names starting with = + - @ (or tab/CR) must reach a spreadsheet as text, in every CSV. */
describe("CSV formula injection", () => {
  it("the one cell writer prefixes formula-like text with an apostrophe, in both dialects, and leaves numbers alone", () => {
    for (const s of EVIL) {
      for (const d of [MACHINE_CSV, SPREADSHEET_CSV]) {
        const cell = csvCell(s, d);
        expect(cell.replace(/^"/, ""), s).toMatch(/^'/);
      }
    }
    expect(csvCell(-12.5, SPREADSHEET_CSV, 1)).toBe("-12,5");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell("Pozo 1")).toBe("Pozo 1");
    expect(toCsv(["a"], [["=1+1"]])).toBe("a\r\n'=1+1\r\n");
  });

  it("the monthly report CSV carries the client and point names as text", () => {
    const d: MonthlyReportData = {
      client: { id: 1, name: "=cmd|' /C calc'!A0", rut: "76455593-7" },
      month: "2026-10",
      monthLabel: "octubre 2026",
      from: new Date("2026-10-01T03:00:00Z"),
      to: new Date("2026-11-01T03:00:00Z"),
      days: 31,
      generatedAt: new Date("2026-11-02T12:00:00Z"),
      points: [
        {
          pointId: 1,
          name: "@SUM(1+1)",
          obraCode: "OB-0602-7",
          grantedFlowLps: 10,
          annualVolumeM3: null,
          volumeM3: 100,
          avgFlowLps: 1,
          peakFlowLps: 2,
          peakAboveGranted: false,
          pctOfGrantedFlow: 10,
          pctOfAnnualVolume: null,
        } as never,
      ],
      totals: { volumeM3: 100, annualVolumeM3: null, pctOfAnnualVolume: null, grantedFlowLps: 10 },
      daily: [],
      dga: [],
      receipts: [{ pointName: "+evil", slotAt: new Date(), state: "sent", receipt: "-R1", sentAt: null }],
      receiptsTruncated: false,
      quality: [],
    };
    const text = renderCsv(d).toString("utf8");
    const cells = text
      .split(/\r\n/)
      .flatMap((l) => l.split(";"))
      .map((c) => c.replace(/^"|"$/g, ""));
    for (const c of cells) expect(c, JSON.stringify(c)).not.toMatch(/^[=+@\t\r]/);
    expect(text).toContain("'=cmd|");
    expect(text).toContain("'@SUM(1+1)");
    expect(text).toContain("'+evil");
  });

  it("the receipts CSV carries point names as text", () => {
    const csv = receiptsCsv([
      {
        id: "1",
        pointId: 1,
        pointName: "=1+2",
        obraCode: "OB-0602-7",
        kind: "groundwater",
        slotAt: new Date(),
        receipt: "R",
        sentAt: null,
        verifiedAt: null,
        flowLps: -1,
        totalizerM3: 2,
        levelM: null,
        heightCm: null,
        fecha: "01-10-2026",
        hora: "10:00:00",
        consultUrl: "https://x",
      },
    ] as never);
    expect(csv).toContain("'=1+2");
    expect(csv).toContain(",-1,");
  });
});
