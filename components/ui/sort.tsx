"use client";

export interface SortState<K extends string> {
  key: K;
  dir: "asc" | "desc";
}

/** A sortable column header: a real button, with aria-sort on the th. */
export function SortTh<K extends string>({
  k,
  sort,
  onSort,
  children,
  className,
}: {
  k: K;
  sort: SortState<K>;
  onSort: (s: SortState<K>) => void;
  children: React.ReactNode;
  className?: string;
}) {
  const active = sort.key === k;
  return (
    <th className={className} aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}>
      <button className="sort" onClick={() => onSort({ key: k, dir: active && sort.dir === "asc" ? "desc" : "asc" })}>
        {children}
        <span aria-hidden="true">{active ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </button>
    </th>
  );
}

export function compare(a: unknown, b: unknown): number {
  if (a == null && b == null) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return String(a).localeCompare(String(b), "es-CL", { numeric: true });
}
