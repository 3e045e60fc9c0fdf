/** One-shot notices carried to the next page in sessionStorage (URLs stay clean). */
const FLASH_KEY = 'wildrydes.flash';

export function setFlash(kind, detail) {
  try {
    window.sessionStorage.setItem(FLASH_KEY, JSON.stringify({ kind, detail: detail || '' }));
  } catch (e) {
    /* storage off: no notice, no harm */
  }
}

export function takeFlash() {
  try {
    const raw = window.sessionStorage.getItem(FLASH_KEY);
    window.sessionStorage.removeItem(FLASH_KEY);
    return raw ? JSON.parse(raw) : null;
  } catch (e) {
    return null;
  }
}
