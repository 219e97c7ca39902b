/** DGA obra code (Manual Técnico 1/2025 §5.2): OB|OR - region(2)province(2) - correlative ≥ 1, not padded. */
const OBRA_CODE_REGEX = /^O[BR]-\d{4}-\d+$/;

export function isValidObraCode(code: string): boolean {
  if (!OBRA_CODE_REGEX.test(code)) return false;
  const correlative = code.split("-")[2]!;
  return !/^0/.test(correlative);
}
