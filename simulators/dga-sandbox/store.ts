import { randomBytes } from "node:crypto";
import type { SandboxKind } from "./contract";

export interface StoredRecord {
  receipt: string;
  kind: SandboxKind;
  codigoObra: string;
  fechaMedicion: string;
  horaMedicion: string;
  /** Exactly the strings received. */
  measurement: Record<string, string>;
  /** The sandbox can't know the standard, so an empty level/height is accepted and recorded here. */
  emptyOptionalFields: string[];
  rutEmpresa: string;
  rutUsuario: string;
  timeStampOrigen: string;
  storedAt: string;
}

export interface PostCount {
  codigoObra: string;
  fechaMedicion: string;
  horaMedicion: string;
  /** Every POST for this key, whatever the answer. More than 1 is a resend. */
  posts: number;
  duplicates: number;
  stored: boolean;
}

export interface Informante {
  rutUsuario: string;
  password: string;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function newReceipt(): string {
  return [...randomBytes(32)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

const keyOf = (obra: string, fecha: string, hora: string) => `${obra}|${fecha}|${hora}`;

/** In-memory MEE: unique on (obra, fechaMedicion, horaMedicion), like production. */
export class SandboxStore {
  private readonly records = new Map<string, StoredRecord>();
  private readonly counts = new Map<string, PostCount>();
  readonly informantes = new Map<string, Informante>();

  countPost(codigoObra: string, fechaMedicion: string, horaMedicion: string): PostCount {
    const key = keyOf(codigoObra, fechaMedicion, horaMedicion);
    const count = this.counts.get(key) ?? {
      codigoObra,
      fechaMedicion,
      horaMedicion,
      posts: 0,
      duplicates: 0,
      stored: false,
    };
    count.posts += 1;
    this.counts.set(key, count);
    return count;
  }

  find(codigoObra: string, fechaMedicion: string, horaMedicion: string): StoredRecord | undefined {
    return this.records.get(keyOf(codigoObra, fechaMedicion, horaMedicion));
  }

  findByReceipt(codigoObra: string, receipt: string): StoredRecord | undefined {
    for (const r of this.records.values()) if (r.receipt === receipt && r.codigoObra === codigoObra) return r;
    return undefined;
  }

  markDuplicate(codigoObra: string, fechaMedicion: string, horaMedicion: string): void {
    const count = this.counts.get(keyOf(codigoObra, fechaMedicion, horaMedicion));
    if (count) count.duplicates += 1;
  }

  insert(record: Omit<StoredRecord, "receipt" | "storedAt">, now: Date): StoredRecord {
    const key = keyOf(record.codigoObra, record.fechaMedicion, record.horaMedicion);
    const stored: StoredRecord = { ...record, receipt: newReceipt(), storedAt: now.toISOString() };
    this.records.set(key, stored);
    const count = this.counts.get(key);
    if (count) count.stored = true;
    return stored;
  }

  all(): { records: StoredRecord[]; posts: PostCount[] } {
    return { records: [...this.records.values()], posts: [...this.counts.values()].map((c) => ({ ...c })) };
  }

  reset(): void {
    this.records.clear();
    this.counts.clear();
    this.informantes.clear();
  }
}
