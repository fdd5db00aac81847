import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Diagnostic } from '../../../common/diagnostics.js';
import type { EditorState, FormSpec } from '../../protocol.js';
import type { EditorController } from './controller.js';
import type { JsonSchema } from './schema.js';

export interface FormContext {
  ctl: EditorController;
  state: EditorState;
  spec: FormSpec;
  root: JsonSchema;
  /** validate's diagnostics and the check's findings, each shown at its field. */
  diagnostics: Diagnostic[];
}

export const FormCtx = createContext<FormContext | undefined>(undefined);

export function useForm(): FormContext {
  const c = useContext(FormCtx);
  if (!c) throw new Error('FormCtx missing');
  return c;
}
