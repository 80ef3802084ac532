// Key names models write, lower-cased, mapped to Playwright's names. Meta becomes Control as in
// WebArena (its sites run on Linux, where the shortcuts use Control).
const KEY_NAMES: Record<string, string> = {
  ctrl: 'Control',
  control: 'Control',
  meta: 'Control',
  cmd: 'Control',
  command: 'Control',
  alt: 'Alt',
  option: 'Alt',
  shift: 'Shift',
  enter: 'Enter',
  return: 'Enter',
  esc: 'Escape',
  escape: 'Escape',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  del: 'Delete',
  space: 'Space',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  arrowup: 'ArrowUp',
  arrowdown: 'ArrowDown',
  arrowleft: 'ArrowLeft',
  arrowright: 'ArrowRight',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  home: 'Home',
  end: 'End',
  insert: 'Insert',
};

/** A `press [...]` argument in Playwright's key syntax, e.g. `ctrl+a` -> `Control+a`, `enter` -> `Enter`. */
export function toPlaywrightKeys(keys: string): string {
  return keys
    .split('+')
    .map((part) => part.trim())
    .map((part) => (part.length === 1 ? part : (KEY_NAMES[part.toLowerCase()] ?? (/^f\d{1,2}$/i.test(part) ? part.toUpperCase() : part))))
    .join('+');
}
