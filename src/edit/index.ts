/**
 * `shenbao edit FILE|DIR`: the browser workspace. It holds no rules of its own: the form comes
 * from the schema and the round's data, the feedback from validate and evaluate, the preview from
 * the same render and PDF engine as `package` (DESIGN.md, "edit").
 *
 * Module map (one purpose each):
 * - protocol.ts  the API's types, shared with the front end
 * - server.ts    HTTP, token, Host and Origin checks, static files
 * - session.ts   one applicant file being edited: text, revisions, undo, save, disk changes;
 *                Workspace: the applicants of a file or folder (used by the office view too)
 * - yaml-edit.ts the form's edits spliced into the YAML text (every other byte kept)
 * - routes.ts    the applicant and form routes over sessions, the package
 * - preview.ts   a material's PDF from the unsaved text, one render at a time, in
 *                preview-worker.ts on a worker thread
 * - office.ts    the office's view of a folder: rows, quotas, the select list
 * - ui/          the front end (Preact), bundled by tools/bundle.mjs into dist/edit/ui
 */
import { stat } from 'node:fs/promises';
import { UserError } from '../common/diagnostics.js';
import type { WorkspaceInfo } from './protocol.js';
import { registerOfficeRoutes } from './office.js';
import { registerApplicantRoutes } from './routes.js';
import { Router, startServer, type EditServer } from './server.js';
import { Workspace } from './session.js';
import { closePreviews, openPreviews } from './preview.js';

export { Workspace, Session } from './session.js';

export interface EditOptions {
  /** 0 or absent: any free port. */
  port?: number;
  version: string;
  /** Where the built front end is (tests may point elsewhere). */
  uiDir?: string;
}

/** The workspace's server; closing it also stops the preview thread (the last workspace's close does). */
export async function startEdit(target: string, options: EditOptions): Promise<EditServer> {
  openPreviews();
  let server: EditServer;
  try {
    server = await startWorkspace(target, options);
  } catch (err) {
    await closePreviews();
    throw err;
  }
  const close = server.close;
  return { ...server, close: () => close().finally(closePreviews) };
}

async function startWorkspace(target: string, options: EditOptions): Promise<EditServer> {
  let mode: WorkspaceInfo['mode'];
  try {
    mode = (await stat(target)).isDirectory() ? 'folder' : 'file';
  } catch {
    throw new UserError([{ severity: 'error', code: 'usage.input', file: target, message: `找不到文件或文件夹：${target}` }], 2);
  }
  const info: WorkspaceInfo = { mode, target, version: options.version };
  const router = new Router();
  router.get('/api/info', () => ({ json: info }));
  const workspace = new Workspace(mode, target);
  registerApplicantRoutes(router, workspace);
  if (mode === 'folder') registerOfficeRoutes(router, target, { unsaved: async (id) => Boolean((await workspace.opened(id))?.dirty) });
  return startServer(router, { port: options.port, uiDir: options.uiDir });
}
