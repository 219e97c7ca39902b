/** The `<option>`s of a client picker (the surrounding `<select>` decides value, extra options and behaviour). */
export function ClientOptions({ clients }: { clients: readonly { id: number; name: string }[] }) {
  return (
    <>
      {clients.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </>
  );
}
