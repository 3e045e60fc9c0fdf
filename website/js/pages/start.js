/**
 * What every page does once its DOM is there: the Show/Hide buttons, the page's own wiring,
 * and, when the site cannot talk to a user pool, the notice and disabled forms. Then
 * body.js-ready tells tests and the kit's site walk that the page is live.
 */
import { setup } from '../auth/pool.js';
import { disableForms, renderConfigNotice } from '../ui/config-notice.js';
import { wireRevealButtons } from '../ui/form.js';

export function startPage(wire = () => {}) {
  // Module scripts run after the document is parsed; the DOM is complete here.
  wireRevealButtons();
  wire(setup);
  if (!setup.ok) {
    renderConfigNotice(setup);
    disableForms();
  }
  document.body.classList.add('js-ready');
}
