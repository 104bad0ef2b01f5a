// Text for what VS Code draws itself: notifications (progress ones too), modal dialogs, the status bar,
// and quick pick labels, descriptions and details. Several of them read their text as more than text:
// a notification makes `[label](command:…)` a link that runs the command when clicked, and quick picks and
// the status bar draw `$(name)` as an icon (progress notifications drop it). None of them offers an escape
// that works everywhere (a backslash hides `$(` only where icons are drawn, and shows elsewhere), so the
// two sequences are broken up with an invisible WORD JOINER: `]⁠(` and `$⁠(` read the same, and match neither.
// Every part of such a text that comes from a torrent, a file name or a tracker goes through here.

/** U+2060: draws as nothing and joins what it stands between, so no line breaks there either. */
export const WORD_JOINER = '\u2060';

/** The text as it should read in a notification, dialog, status bar or quick pick: no link, no icon. */
export function notificationText(text: string): string {
  return text.replace(/([\]$])(?=\()/g, `$1${WORD_JOINER}`);
}

/**
 * A template tag for such texts: every value put in is passed through `notificationText`, the words of
 * the template are kept (they may use `$(icon)` on purpose).
 * `notification\`${fileName} is not a valid torrent: ${message}\``
 */
export function notification(words: TemplateStringsArray, ...values: unknown[]): string {
  let out = words[0];
  values.forEach((value, i) => {
    out += notificationText(String(value)) + words[i + 1];
  });
  return out;
}
