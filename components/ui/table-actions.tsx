/** The header cell over a table's row actions: no visible text, a name for screen readers. */
export function ActionsTh() {
  return (
    <th>
      <span className="visually-hidden">Acciones</span>
    </th>
  );
}

/** Opens and closes a row's inline editor ("Editar" ↔ "Cerrar"). */
export function EditToggle({ open, onToggle, label }: { open: boolean; onToggle: () => void; label: string }) {
  return (
    <button className="secondary small" aria-expanded={open} onClick={onToggle}>
      {open ? "Cerrar" : label}
    </button>
  );
}
