/** One line of `thetadesk doctor`: a name, ok or FAIL, what was found, and for a FAIL what to do. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix: string | null;
}

export const pass = (name: string, detail: string): DoctorCheck => ({ name, ok: true, detail, fix: null });
export const fail = (name: string, detail: string, fix: string): DoctorCheck => ({ name, ok: false, detail, fix });

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
