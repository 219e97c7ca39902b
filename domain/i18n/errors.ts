/**
 * Technical error texts (worker, provider, DGA, report generation; usually English) as a sentence a
 * user can act on. The raw text is kept for support (shown as a tooltip or in logs), never as the message.
 */
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /\bHTTP (401|403)\b|unauthori[sz]ed|forbidden|invalid (api )?(key|token)/i,
    () => "El servicio rechazó las credenciales (revise usuario, clave o token).",
  ],
  [/\bHTTP 404\b|not found/i, () => "El servicio no encontró el recurso pedido (revise la URL o el dispositivo)."],
  [
    /\bHTTP 429\b|rate.?limit|too many requests/i,
    () => "El servicio limitó las consultas por exceso de peticiones; se reintentará.",
  ],
  [/\bHTTP (5\d\d)\b/i, (m) => `El servicio respondió con un error propio (HTTP ${m[1]}); se reintentará.`],
  [/timed? ?out|timeout|ETIMEDOUT|aborted/i, () => "El servicio no respondió a tiempo; se reintentará."],
  [
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|fetch failed|socket hang up|network/i,
    () => "No fue posible conectarse con el servicio; se reintentará.",
  ],
  [/certificate|TLS|SSL/i, () => "Falló la conexión segura (certificado TLS) con el servicio."],
  [/SMTP|mail/i, () => "No fue posible enviar el correo."],
  [/\bno data\b|\bempty\b/i, () => "No hay datos para el periodo pedido."],
];

const SPANISH_HINT = /[áéíóúñ¿¡]|\b(el|la|los|las|de|del|no|sin|con|para|por|una?|fall[óo]|error en)\b/i;

export function userErrorText(raw: string | null | undefined): string {
  if (!raw) return "Error desconocido.";
  for (const [re, text] of PATTERNS) {
    const m = re.exec(raw);
    if (m) return text(m);
  }
  if (SPANISH_HINT.test(raw)) return raw;
  return "Error interno del sistema; el equipo de SmartHydro fue notificado.";
}
