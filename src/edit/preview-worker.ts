/**
 * The preview's render in a worker thread: laying out a report takes a few hundred milliseconds of
 * CPU, and on the server's thread every edit typed meanwhile would wait for it. The worker reads
 * the same unsaved text the session holds and runs the same stages as `package`.
 */
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { renderDocuments } from '../docx/render.js';
import { evaluate } from '../evaluate/index.js';
import { loadYamlFile } from '../load/index.js';
import { renderPdf } from '../pdf/index.js';
import { validateLocated } from '../schema/validate.js';

export interface PreviewTask {
  /** The data file (includes are read relative to it). */
  file: string;
  /** Its text as being edited. */
  text: string;
  material: string;
}

export type PreviewOutcome = { ok: true; bytes: Uint8Array; pageText: string[] } | { ok: false; diagnostics: Diagnostic[] };

// No font warm-up here (unlike batch's workers): loading every family takes seconds of CPU just
// when the page loads and the user starts typing, on machines with two cores; the first preview
// loads only the faces it uses, once per thread.

/** One material's PDF from the text; a failure is data (diagnostics), never a thrown error across the thread. */
export default async function renderPreview(task: PreviewTask): Promise<PreviewOutcome> {
  try {
    const located = await loadYamlFile(task.file, { text: task.text });
    const v = await validateLocated(located);
    if (!v.ok) return { ok: false, diagnostics: v.diagnostics.filter((d) => d.severity === 'error') };
    const evaluation = evaluate(v.applicant, v.program, v.category, v.catalogue, v.located);
    const docs = renderDocuments({ ...v, evaluation, only: [task.material] });
    const errors = docs.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !docs.files[0]) return { ok: false, diagnostics: errors.length ? errors : [{ severity: 'error', code: 'edit.render', message: `材料 ${task.material} 未能生成` }] };
    // A character no font has is drawn blank in the preview; `package` refuses it with its message.
    const pdf = await renderPdf(docs.files[0].bytes, { allowBlank: true, pageText: true });
    return { ok: true, bytes: pdf.bytes, pageText: (pdf.pageText ?? []).map((t) => t.replace(/\s+/g, '')) };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, diagnostics: err.diagnostics };
    return { ok: false, diagnostics: [{ severity: 'error', code: 'internal', message: `预览时发生内部错误：${(err as Error)?.message ?? String(err)}` }] };
  }
}
