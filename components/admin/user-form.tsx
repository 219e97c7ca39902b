"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { EmailSchema } from "@/domain/schemas/common";
import { label } from "@/domain/labels";
import { useScope } from "@/components/shell/scope";
import { Field } from "@/components/ui/field";
import { ErrorMsg } from "@/components/ui/states";
import { serverFieldErrors, strOrNull, validate, type FieldErrors } from "@/components/ui/zod-form";
import { ClientOptions } from "@/components/ui/client-options";

const Password = z.string().min(10, "La contraseña debe tener al menos 10 caracteres").max(200);
const UserSchema = z.object({
  email: EmailSchema,
  name: z.string().trim().min(2, "Mínimo 2 caracteres").max(120),
  password: Password.optional(),
});

type Membership = { clientId: number; role: "manager" | "viewer" };
export interface UserValues {
  id: number;
  email: string;
  name: string;
  staffRole: "admin" | "operator" | null;
  active: boolean;
  memberships: Membership[];
}

/** Create or edit a user; memberships give a member role on a client. Passwords are write-only. */
export function UserForm({ user, onDone }: { user?: UserValues; onDone: (msg: string) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { clients } = useScope();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [members, setMembers] = useState<Membership[]>(user?.memberships ?? []);
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.users.pathKey() }) };
  const create = useMutation(trpc.users.create.mutationOptions(opts));
  const update = useMutation(trpc.users.update.mutationOptions(opts));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = strOrNull(f.get("password")) ?? undefined;
    const v = validate(UserSchema.extend(user ? {} : { password: Password }), {
      email: user?.email ?? f.get("email"),
      name: f.get("name"),
      password,
    });
    if (!v.ok) return setErrors(v.errors);
    setErrors({});
    const staffRole = (strOrNull(f.get("staffRole")) as "admin" | "operator" | null) ?? null;
    try {
      if (user) {
        await update.mutateAsync({
          id: user.id,
          name: v.data.name,
          password,
          staffRole,
          active: f.get("active") === "on",
          memberships: members,
        });
        onDone("Usuario actualizado.");
      } else {
        await create.mutateAsync({
          email: v.data.email,
          name: v.data.name,
          password: password!,
          staffRole,
          memberships: members,
        });
        onDone("Usuario creado.");
      }
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }

  const p = user ? `u${user.id}` : "nu";
  const free = clients.filter((c) => !members.some((m) => m.clientId === c.id));
  return (
    <form onSubmit={onSubmit} noValidate className="stack" aria-label={user ? `Editar ${user.email}` : "Nuevo usuario"}>
      <div className="form-grid">
        {!user && (
          <Field label="Correo" error={errors.email}>
            <input id={`${p}-email`} name="email" type="email" autoComplete="off" />
          </Field>
        )}
        <Field label="Nombre" error={errors.name}>
          <input id={`${p}-name`} name="name" defaultValue={user?.name} />
        </Field>
        <Field
          label={user ? "Nueva contraseña (opcional)" : "Contraseña"}
          error={errors.password}
          hint="Mínimo 10 caracteres; no se vuelve a mostrar"
        >
          <input id={`${p}-pw`} name="password" type="password" autoComplete="new-password" />
        </Field>
        <Field label="Rol de plataforma" hint="Solo para el personal de SmartHydro">
          <select id={`${p}-staff`} name="staffRole" defaultValue={user?.staffRole ?? ""}>
            <option value="">Ninguno (usuario de cliente)</option>
            <option value="admin">{label("role", "admin")}</option>
            <option value="operator">{label("role", "operator")}</option>
          </select>
        </Field>
        {user && (
          <div style={{ alignSelf: "end" }}>
            <label>
              <input type="checkbox" name="active" defaultChecked={user.active} />
              Activo
            </label>
          </div>
        )}
      </div>
      <fieldset>
        <legend>Membresías</legend>
        {members.length === 0 && <p className="muted small">Sin membresías.</p>}
        {members.map((m, i) => (
          <div key={m.clientId} className="row" style={{ marginBottom: ".4rem" }}>
            <span style={{ minWidth: 200 }}>
              {clients.find((c) => c.id === m.clientId)?.name ?? `Cliente ${m.clientId}`}
            </span>
            <select
              aria-label="Rol en el cliente"
              style={{ width: "auto" }}
              value={m.role}
              onChange={(e) =>
                setMembers(members.map((x, j) => (j === i ? { ...x, role: e.target.value as Membership["role"] } : x)))
              }
            >
              <option value="manager">{label("role", "manager")}</option>
              <option value="viewer">{label("role", "viewer")}</option>
            </select>
            <button
              type="button"
              className="secondary small"
              onClick={() => setMembers(members.filter((_, j) => j !== i))}
            >
              Quitar
            </button>
          </div>
        ))}
        {free.length > 0 && (
          <div className="row">
            <select
              aria-label="Agregar membresía en el cliente"
              style={{ width: "auto" }}
              defaultValue=""
              onChange={(e) => {
                if (e.target.value) setMembers([...members, { clientId: Number(e.target.value), role: "viewer" }]);
                e.target.value = "";
              }}
            >
              <option value="">Agregar cliente…</option>
              <ClientOptions clients={free} />
            </select>
          </div>
        )}
      </fieldset>
      <ErrorMsg error={create.error ?? update.error} />
      <button type="submit" disabled={create.isPending || update.isPending}>
        {user ? "Guardar cambios" : "Crear usuario"}
      </button>
    </form>
  );
}
