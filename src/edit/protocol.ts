/**
 * The editor's HTTP API, typed once and imported by both the server (src/edit/*.ts) and the
 * front end (src/edit/ui/**), so the two cannot drift. Types only: this file is compiled into the
 * Node build and bundled into the browser, so it imports nothing with a runtime.
 *
 * Security (every request): the Host header must be 127.0.0.1:PORT or localhost:PORT (DNS
 * rebinding); every /api request carries the session token, as the `X-Shenbao-Token` header or,
 * for GETs a browser makes by itself (an iframe's PDF, a download), the `token` query parameter;
 * every request that changes anything is a POST whose Origin is exactly the server's own origin.
 * Refusals are 403 with an ApiError in Chinese, and change nothing.
 *
 * Applicants are addressed by id: in `shenbao edit FILE` the one applicant is id "0"; in
 * `shenbao edit DIR` each applicant file of the folder has an id (its file name, URL-encoded).
 */
import type { Diagnostic } from '../common/diagnostics.js';

/** The header (and query parameter `token`) carrying the session token. */
export const TOKEN_HEADER = 'X-Shenbao-Token';

/** Every non-2xx answer of the API. */
export interface ApiError {
  /** Chinese, one sentence, shown to the user as is. */
  message: string;
  /** Stable code: 'token', 'origin', 'host', 'not-found', 'stale', 'disk-changed', 'invalid', 'quota', 'io', 'unsaved' (package with unsaved changes), 'busy' (a package is being built). */
  code: string;
  diagnostics?: Diagnostic[];
}

/** GET /api/applicants: the ids of the workspace's applicants ("0" for a file; the YAML file names of a folder). */
export interface ApplicantList {
  ids: string[];
}

/** GET /api/info: what the workspace is opened on. */
export interface WorkspaceInfo {
  mode: 'file' | 'folder';
  /** The file or folder as the user named it. */
  target: string;
  version: string;
}

/** One change the form makes to the data; `path` is a data path as in Diagnostic.path. */
export type EditOp =
  /** Set a value (creating missing mappings on the way). A string keeps its scalar style (a `|` block stays a block). */
  | { op: 'set'; path: (string | number)[]; value: unknown }
  /** Remove a key or a list item. */
  | { op: 'delete'; path: (string | number)[] }
  /** Insert an item into the list at `path` before `index` (index = length appends). */
  | { op: 'insert'; path: (string | number)[]; index: number; value: unknown }
  /** Move a list item within the list at `path` (report sections reordered). */
  | { op: 'move'; path: (string | number)[]; from: number; to: number };

/** A condition's result as the check panel shows it. */
export interface CheckItem {
  id: string;
  clause: string;
  title: string;
  status: 'met' | 'unmet' | 'pending' | 'review' | 'priority' | 'not_applicable';
  /** 符合 / 不符合 / 待补充 / 待人工确认 …, from STATUS_LABEL. */
  statusLabel: string;
  reason: string;
  /** Where to jump in the form: the condition's data path. */
  path: (string | number)[];
}

export interface CheckView {
  eligible: boolean;
  /** 合计 line as `check` prints it. */
  summary: string;
  items: CheckItem[];
  /** Consistency findings as diagnostics (warnings) located at their fields. */
  findings: Diagnostic[];
}

/** GET /api/applicants/:id/state, and the answer to every edit, undo, redo, save and reload. */
export interface EditorState {
  id: string;
  /** The file as shown to the user. */
  file: string;
  /** Increases with every change in this session (edits, undo, redo, reload). */
  revision: number;
  /** The data as JSON (the YAML document's value). */
  data: unknown;
  /** The applicant's round and category, once known (to build the form and pick materials). */
  program?: string;
  category?: string;
  /** The same diagnostics `validate` gives, positions in the edited text. */
  diagnostics: Diagnostic[];
  /** The check, when the data is valid enough to evaluate. */
  check?: CheckView;
  /** Unsaved changes in this session. */
  dirty: boolean;
  /** The file on disk changed since it was loaded or saved here: saving needs `force`, or reload. */
  diskChanged: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /**
   * Figures the form shows read-only: the derived indicators (ratios, growth) by year, formatted
   * as the documents print them: derived[year][indicatorId] = '0.062%'.
   */
  derived: Record<string, Record<string, string>>;
  /** The materials that can be previewed, in package order. */
  materials: { id: string; title: string }[];
}

/** POST /api/applicants/:id/edit. 409 'stale' if baseRevision is not the current revision. */
export interface EditRequest {
  baseRevision: number;
  ops: EditOp[];
}

/** POST /api/applicants/:id/save. 409 'disk-changed' unless force when the disk copy changed. */
export interface SaveRequest {
  force?: boolean;
}

/** POST /api/applicants/:id/undo, /redo, /reload: no body; answer EditorState. */

/**
 * GET /api/applicants/:id/preview/:material.pdf?revision=N&token=…: the material's PDF from the
 * native engine for the current (unsaved) data. 422 with ApiError when the data cannot be rendered.
 */

/** GET /api/applicants/:id/preview/:material/locate?path=JSON: where a field's text appears. */
export interface PreviewLocation {
  /** 1-based page of the PDF, when found. */
  page?: number;
}

/** POST /api/applicants/:id/package: builds the whole package with the saved file's data into out/ next to the data file; 409 'unsaved' while there are unsaved changes (save first), 422 when a condition is 不符合. */
export interface PackageResponse {
  /** The package folder and zip as paths the user can open. */
  folder: string;
  zip: string;
  files: string[];
  diagnostics: Diagnostic[];
}

/**
 * GET /api/form?program=ID&category=ID: what the form is generated from. The JSON Schema is the
 * published applicant schema (Chinese titles and descriptions); the round's data adds what the
 * schema cannot say: each condition's statement and evidence list, the indicators and which are
 * derived, the materials.
 */
export interface FormSpec {
  schema: Record<string, unknown>;
  program?: { id: string; name: string };
  category?: {
    id: string;
    name: string;
    shortName: string;
    quota?: number;
    conditions: { id: string; clause: string; title: string; text: string; check: string; evidence: string[] }[];
  };
  indicators: { id: string; name: string; unit?: string; derived: boolean; description?: string }[];
  /** The reporting years (e.g. 2019, 2020, 2021) when the applicant's data names them. */
  years: number[];
}

/** One applicant file in the office's folder view. */
export interface OfficeRow {
  id: string;
  file: string;
  name?: string;
  shortName?: string;
  program?: string;
  category?: string;
  categoryName?: string;
  /** 'invalid': validate finds errors; otherwise the check's verdict. */
  status: 'invalid' | 'eligible' | 'not-eligible';
  /** The verdict in words (符合全部条件 / 有不符合项 / 有待补充项 / 有待人工确认项 / 数据有误), from the check's own categories. */
  verdict: string;
  errors: number;
  warnings: number;
  counts?: Record<CheckItem['status'], number>;
  /** The first few error diagnostics, to show why. */
  diagnostics: Diagnostic[];
  /** May be recommended: valid, and no condition 不符合 or 待补充 (待人工确认 is the office's call). */
  selectable?: boolean;
  /** Why it is not eligible: each condition not 符合, as `（3）经费保障 不符合：reason`. */
  problems?: string[];
  /** Open in the editor with changes not yet saved: the row shows the file on disk, not those. */
  unsaved?: boolean;
}

/** GET /api/office: the folder's applicants and where each category stands against its quota. */
export interface OfficeState {
  folder: string;
  rows: OfficeRow[];
  /** `eligible`: rows whose status is 'eligible'; `selectable`: rows that may be recommended. */
  quotas: { program: string; category: string; name: string; shortName?: string; quota?: number; applicants: number; eligible: number; selectable?: number; selected: number }[];
  /** The current selection (ids in recommendation order), read from the select file if it exists. */
  selection: string[];
  /** The select file the office view writes (what `shenbao batch --select` reads). */
  selectFile: string;
  /** Whether the select file exists yet. */
  selectFileExists?: boolean;
  /** What is wrong with the select file as it is on disk (the same judgement as `batch --select`). */
  selectDiagnostics?: Diagnostic[];
}

/** The answer to POST /api/office/select: the state after writing, and the file written. */
export interface SelectResponse extends OfficeState {
  /** The select file's path as shown to the user. */
  written: string;
}

/** POST /api/office/select: the recommended applicants in order. 422 'quota' (nothing written) when a category is over its quota or an applicant is not eligible. */
export interface SelectRequest {
  selection: string[];
}
