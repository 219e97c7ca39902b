"use client";
import { useState } from "react";

/** A secret shown exactly once: copy it now, it cannot be read again. */
export function OnceSecret({ title, value, onDone }: { title: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice warn" role="alert" data-testid="once-secret">
      <h3>{title}</h3>
      <p>Cópielo ahora: por seguridad no se volverá a mostrar.</p>
      <div className="secret">
        <code data-testid="secret-value">{value}</code>
        <button
          className="secondary small"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? "Copiado" : "Copiar"}
        </button>
        <button className="small" onClick={onDone}>
          Ya lo guardé
        </button>
      </div>
    </div>
  );
}
