/** The e-mails' HTML: one table-free column, inline styles only (mail clients drop <style> and scripts). */
const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export interface MailHtml {
  title: string;
  paragraphs: readonly string[];
  /** The item the message is about, on the portal. */
  link?: { href: string; label: string };
  footer?: string;
}

export function mailHtml(m: MailHtml): string {
  const button = m.link
    ? `<p style="margin:24px 0"><a href="${esc(m.link.href)}" style="background:#0a6a93;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${esc(m.link.label)}</a></p><p style="font-size:12px;color:#667">O copie esta dirección: ${esc(m.link.href)}</p>`
    : "";
  return `<!doctype html><html lang="es-CL"><head><meta charset="utf-8"><title>${esc(m.title)}</title></head><body style="margin:0;background:#f4f6f8;font-family:Segoe UI,Arial,sans-serif;color:#1c2733"><div style="max-width:560px;margin:0 auto;padding:24px"><div style="background:#fff;border-top:4px solid #0a6a93;border-radius:6px;padding:24px"><p style="margin:0 0 8px;font-size:13px;color:#0a6a93;font-weight:600">SmartHydro</p><h1 style="margin:0 0 16px;font-size:20px">${esc(m.title)}</h1>${m.paragraphs.map((p) => `<p style="margin:0 0 12px;line-height:1.5">${esc(p)}</p>`).join("")}${button}</div><p style="font-size:12px;color:#667;text-align:center;margin-top:16px">${esc(m.footer ?? "Mensaje automático de SmartHydro. No responda este correo.")}</p></div></body></html>`;
}

/** The same message as plain text (the alternative part). */
export function mailText(m: MailHtml): string {
  return [
    m.title,
    "",
    ...m.paragraphs.flatMap((p) => [p, ""]),
    ...(m.link ? [`${m.link.label}: ${m.link.href}`, ""] : []),
    m.footer ?? "SmartHydro",
  ].join("\n");
}
