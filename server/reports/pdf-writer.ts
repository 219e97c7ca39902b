import { deflateSync } from "node:zlib";

export type Rgb = readonly [number, number, number];
export interface TextOpts {
  size?: number;
  bold?: boolean;
  align?: "left" | "right" | "center";
  color?: Rgb;
}

// Helvetica advance widths (1/1000 em) for ASCII 32..126, from the standard AFM.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];
const WIN_ANSI_EXTRA: Record<string, number> = {
  "€": 0x80,
  "…": 0x85,
  "‘": 0x91,
  "’": 0x92,
  "“": 0x93,
  "”": 0x94,
  "•": 0x95,
  "–": 0x96,
  "—": 0x97,
};

/** String → WinAnsi bytes (what the standard 14 fonts understand); unknown characters become "?". */
function winAnsi(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) out.push(c);
    else out.push(WIN_ANSI_EXTRA[ch] ?? 0x3f);
  }
  return out;
}

function pdfString(s: string): string {
  let o = "(";
  for (const b of winAnsi(s)) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) o += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) o += `\\${b.toString(8).padStart(3, "0")}`;
    else o += String.fromCharCode(b);
  }
  return `${o})`;
}

const f = (n: number) => (Math.round(n * 100) / 100).toString();
const rgb = (c: Rgb) => c.map((x) => f(x)).join(" ");

/**
 * A small PDF 1.4 writer: pages with text (Helvetica / Helvetica-Bold, WinAnsi), lines and rectangles.
 * Coordinates are points from the page's top-left corner (converted to PDF's bottom-left on output).
 */
export class PdfDoc {
  readonly width: number;
  readonly height: number;
  private pages: string[][] = [];

  constructor(opts: { landscape?: boolean } = {}) {
    const [w, h] = [595.28, 841.89];
    this.width = opts.landscape ? h : w;
    this.height = opts.landscape ? w : h;
  }

  get pageCount(): number {
    return this.pages.length;
  }

  addPage(): void {
    this.pages.push([]);
  }

  /** Selects an existing page (0-based) for further drawing (e.g. footers once the page count is known). */
  onPage(i: number, draw: () => void): void {
    const saved = this.pages;
    const page = saved[i];
    if (!page) return;
    this.pages = [...saved.slice(0, i), page];
    try {
      draw();
    } finally {
      this.pages = saved;
    }
  }

  private get ops(): string[] {
    if (this.pages.length === 0) this.addPage();
    return this.pages[this.pages.length - 1]!;
  }

  textWidth(s: string, size = 10, bold = false): number {
    let w = 0;
    for (const b of winAnsi(s)) w += b >= 32 && b <= 126 ? HELVETICA[b - 32]! : 556;
    return (w * size * (bold ? 1.05 : 1)) / 1000;
  }

  /** Truncates with "…" to fit maxWidth. */
  fit(s: string, maxWidth: number, size = 10, bold = false): string {
    if (this.textWidth(s, size, bold) <= maxWidth) return s;
    let t = s;
    while (t.length > 1 && this.textWidth(`${t}…`, size, bold) > maxWidth) t = t.slice(0, -1);
    return `${t}…`;
  }

  text(x: number, y: number, s: string, o: TextOpts = {}): void {
    const size = o.size ?? 10;
    const w = o.align && o.align !== "left" ? this.textWidth(s, size, o.bold) : 0;
    const x0 = o.align === "right" ? x - w : o.align === "center" ? x - w / 2 : x;
    this.ops.push(
      `BT ${rgb(o.color ?? [0, 0, 0])} rg /${o.bold ? "F2" : "F1"} ${f(size)} Tf ${f(x0)} ${f(this.height - y)} Td ${pdfString(s)} Tj ET`,
    );
  }

  line(x1: number, y1: number, x2: number, y2: number, o: { width?: number; color?: Rgb } = {}): void {
    this.ops.push(
      `${f(o.width ?? 0.5)} w ${rgb(o.color ?? [0, 0, 0])} RG ${f(x1)} ${f(this.height - y1)} m ${f(x2)} ${f(this.height - y2)} l S`,
    );
  }

  /** Rectangle with its top-left corner at (x, y). */
  rect(x: number, y: number, w: number, h: number, o: { fill?: Rgb; stroke?: Rgb; width?: number }): void {
    const path = `${f(x)} ${f(this.height - y - h)} ${f(w)} ${f(h)} re`;
    if (o.fill && o.stroke) this.ops.push(`${rgb(o.fill)} rg ${rgb(o.stroke)} RG ${f(o.width ?? 0.5)} w ${path} B`);
    else if (o.fill) this.ops.push(`${rgb(o.fill)} rg ${path} f`);
    else this.ops.push(`${rgb(o.stroke ?? [0, 0, 0])} RG ${f(o.width ?? 0.5)} w ${path} S`);
  }

  /** Polyline through the points (chart series). */
  polyline(points: readonly (readonly [number, number])[], o: { width?: number; color?: Rgb } = {}): void {
    if (points.length < 2) return;
    const path = points.map(([x, y], i) => `${f(x)} ${f(this.height - y)} ${i === 0 ? "m" : "l"}`).join(" ");
    this.ops.push(`${f(o.width ?? 1)} w ${rgb(o.color ?? [0, 0, 0])} RG ${path} S`);
  }

  build(info: { title: string; author?: string; created: Date }): Buffer {
    if (this.pages.length === 0) this.addPage();
    const objects: Buffer[] = [];
    const add = (body: string | Buffer) => objects.push(typeof body === "string" ? Buffer.from(body, "latin1") : body);
    const n = this.pages.length;
    const pageId = (i: number) => 6 + i * 2;
    add("<< /Type /Catalog /Pages 2 0 R >>");
    add(`<< /Type /Pages /Count ${n} /Kids [${Array.from({ length: n }, (_, i) => `${pageId(i)} 0 R`).join(" ")}] >>`);
    add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
    const d = info.created.toISOString().replace(/[-:T]/g, "").slice(0, 14);
    add(
      `<< /Title ${pdfString(info.title)} /Author ${pdfString(info.author ?? "SmartHydro")} /Producer (SmartHydro) /CreationDate (D:${d}Z) >>`,
    );
    for (let i = 0; i < n; i++) {
      const content = deflateSync(Buffer.from(this.pages[i]!.join("\n"), "latin1"));
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${f(this.width)} ${f(this.height)}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageId(i) + 1} 0 R >>`,
      );
      add(
        Buffer.concat([
          Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`, "latin1"),
          content,
          Buffer.from("\nendstream", "latin1"),
        ]),
      );
    }
    const chunks: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
    let offset = chunks[0]!.length;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(offset);
      const chunk = Buffer.concat([
        Buffer.from(`${i + 1} 0 obj\n`, "latin1"),
        body,
        Buffer.from("\nendobj\n", "latin1"),
      ]);
      chunks.push(chunk);
      offset += chunk.length;
    });
    const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
    chunks.push(
      Buffer.from(
        `${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
        "latin1",
      ),
    );
    return Buffer.concat(chunks);
  }
}
