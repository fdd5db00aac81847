import { fieldId } from './controller.js';

const FOCUSABLE = 'input, select, textarea, button, output, [tabindex]';

/**
 * Focuses the field of a data path and scrolls it into view; a path with no field of its own (a
 * key the form does not draw, a paragraph inside a text box) lands on the nearest field above it.
 */
export function jumpTo(path: readonly (string | number)[]): boolean {
  for (let n = path.length; n >= 0; n--) {
    const el = document.getElementById(fieldId(path.slice(0, n)));
    if (!el) continue;
    const target = el.matches('input, select, textarea') ? el : ((el.querySelector('input, select, textarea') as HTMLElement | null) ?? (el.matches(FOCUSABLE) ? el : null) ?? el);
    target.scrollIntoView({ block: 'center' });
    if (!target.hasAttribute('tabindex') && !target.matches(FOCUSABLE)) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
    return true;
  }
  return false;
}
