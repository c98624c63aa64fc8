/**
 * Text for a terminal. Names and values from content or a live workspace may hold control
 * characters: an escape sequence (ESC, or the one-byte CSI 0x9B) can move the cursor, rewrite
 * earlier lines, retitle the window or hide text, so a report could show something other than
 * what it holds. Every control character but tab and newline is shown as `\u{..}` instead.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase()}}`);
}
