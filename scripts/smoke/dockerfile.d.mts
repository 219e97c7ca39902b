// Types for dockerfile.mjs (plain JS so the smoke runs without a TypeScript runner).
export interface DockerLine {
  op: string;
  args: string[];
  text: string;
}
export interface DockerStage {
  name: string;
  from: string;
  lines: DockerLine[];
}
export const BUILD_OUTPUTS: string[];
export function parseDockerfile(text: string): DockerStage[];
export function copyParts(line: DockerLine): { from: string | null; sources: string[]; dest: string };
export function execForm(line: DockerLine): string[];
export function envOf(stage: DockerStage): Record<string, string>;
export function checkDockerfile(root: string, text?: string): string[];
export function assemble(opts: {
  root: string;
  target: string;
  out: string;
  prebuilt?: Record<string, string>;
  scratch: string;
  log?: (m: string) => void;
}): { env: Record<string, string>; cmd: string[] | null; entrypoint: string[] | null };
