export interface Placed<T> {
  item: T;
  x: number;
  y: number;
}
export interface Cluster<T> {
  x: number;
  y: number;
  items: T[];
}

/**
 * Greedy screen-space clustering: each point joins the first cluster whose centre is within
 * `radius` px, else starts one; centres are the members' mean. Wells of one farm become one
 * numbered marker instead of a blob of overlapping dots.
 */
export function clusterPoints<T>(placed: readonly Placed<T>[], radius: number): Cluster<T>[] {
  const out: (Cluster<T> & { sx: number; sy: number })[] = [];
  for (const p of placed) {
    const c = out.find((k) => (k.x - p.x) ** 2 + (k.y - p.y) ** 2 <= radius * radius);
    if (c) {
      c.items.push(p.item);
      c.sx += p.x;
      c.sy += p.y;
      c.x = c.sx / c.items.length;
      c.y = c.sy / c.items.length;
    } else out.push({ x: p.x, y: p.y, sx: p.x, sy: p.y, items: [p.item] });
  }
  return out.map(({ x, y, items }) => ({ x, y, items }));
}
