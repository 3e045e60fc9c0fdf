/** The ride page's "Copy token" button: the clipboard, or the token selected for Ctrl+C. */
import { $ } from '../ui/dom.js';

function copyText(value) {
  const fallback = () => {
    const area = document.createElement('textarea');
    area.value = value;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    area.remove();
    return ok;
  };
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(value).then(() => true, fallback);
  }
  return Promise.resolve(fallback());
}

function selectToken() {
  const range = document.createRange();
  range.selectNodeContents($('authToken'));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

/** The button copies what token() returns: the token on show when it is pressed. */
export function wireCopy(token) {
  const button = $('copyToken');
  const status = $('copyStatus');
  let timer = null;
  button.addEventListener('click', () => {
    copyText(token()).then((ok) => {
      if (!ok) selectToken();
      status.textContent = ok ? 'Copied!' : 'Selected: press Ctrl+C (\u2318C) to copy';
      button.classList.toggle('is-copied', ok);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        status.textContent = '';
        button.classList.remove('is-copied');
      }, 2500);
    });
  });
}
