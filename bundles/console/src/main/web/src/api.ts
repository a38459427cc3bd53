// The REST API of the node that served the page (docs/api.md), through its session cookie; the
// other nodes' through it (/nodes/<node>/…, which it relays on the user's behalf).

export const API = "/api/v1.0";

// Marks the console's requests: the API then challenges a missing session without Basic, which
// would make the browser hold the request and open a password dialog of its own.
const HEADERS = { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

async function problem(r: Response): Promise<ApiError> {
  let detail = `${r.status} ${r.statusText}`;
  try {
    const body = await r.json();
    if (body && typeof body.detail === "string") {
      detail = body.detail;
    } else if (body && typeof body.title === "string") {
      detail = body.title;
    }
  } catch {
    // not a problem document: keep the status line
  }
  return new ApiError(r.status, detail);
}

export async function get<T>(path: string): Promise<T> {
  const r = await fetch(API + path, { headers: HEADERS });
  if (!r.ok) {
    throw await problem(r);
  }
  return (await r.json()) as T;
}

export async function post<T>(path: string, form?: Record<string, string>): Promise<T | null> {
  const init: RequestInit = { method: "POST", headers: HEADERS };
  if (form) {
    init.body = new URLSearchParams(form);
  }
  const r = await fetch(API + path, init);
  if (!r.ok) {
    throw await problem(r);
  }
  return r.status === 204 ? null : ((await r.json()) as T);
}

/** A request with a body of the given type; the answer as JSON, or the problem's detail thrown. */
export async function send<T>(method: string, path: string, type?: string, body?: BodyInit): Promise<T> {
  const headers: Record<string, string> = { ...HEADERS };
  if (type) headers["Content-Type"] = type;
  const r = await fetch(API + path, { method, headers, body });
  if (!r.ok) {
    throw await problem(r);
  }
  return (await r.json()) as T;
}

export interface Login {
  user: string;
  role: string;
}

export interface ModuleRow {
  name: string;
  id: number;
  kind: string;
  state: string;
  readiness: string;
}

export interface Resource {
  name: string;
  value: string;
  setter: string;
  time: string;
}

export interface ModuleDetail {
  module: ModuleRow;
  resources: Resource[];
}

export interface LogEntry {
  seq: number;
  time: string;
  component: string;
  level: string;
  message: string;
}

export interface LogPage {
  entries: LogEntry[];
  next: number;
}

/** One row of the commands log (spec G.7): a START row and its END row share their id. */
export interface CommandRow {
  time: string;
  type: string;
  module: string;
  id: number;
  kind: string;
  text: string;
}

export interface CommandResult {
  command: string;
  exitCode: number;
  output: string;
}

export interface NodeInfo {
  host?: string;
  hostname?: string;
  version?: string;
  address?: string;
  [key: string]: unknown;
}

/** One event of {@code GET /events}: {@code local} absent when the module is gone. */
export interface StateEvent {
  module: string;
  local?: string;
  remote?: string;
  time: string;
}

/** One event "state" of {@code GET /events/cluster}: {@code local} absent when the module is gone. */
export interface NodeStateEvent extends StateEvent {
  node: string;
}

/** One event "node" of {@code GET /events/cluster}: whether a node answers (UP or ERROR). */
export interface NodeStatus {
  node: string;
  status: "UP" | "ERROR";
  detail?: string;
  time: string;
}

/** The path prefix of a node's API through this one: "" for this node itself. */
export function nodeBase(node: string, self: string): string {
  return node === self ? "" : `/nodes/${encodeURIComponent(node)}`;
}
