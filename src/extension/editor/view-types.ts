// The custom editors Torrent Lens works with, by view type.

/** The Torrent Lens editor (package.json contributes it for *.torrent). */
export const VIEW_TYPE = 'torrentLens.editor';

/** The Hex Editor extension's editor (ms-vscode.hexeditor), where "Open as Text" goes when it is installed. */
export const HEX_EDITOR_VIEW_TYPE = 'hexEditor.hexedit';
