// A torrent's problems in VS Code's Problems view (and the status bar's counts), while an editor shows it.
//
// They go when the torrent's last editor closes, as the problems of JSON, CSS or Markdown files do (their
// language servers report the open documents): a .torrent is checked when it is opened, and a list of
// problems that nobody re-checks would go stale as files change on disk. A file deleted on disk has none.
//
// A binary file has no lines, so each problem sits at the file's start; its code links to
// `torrentLens.showProblem`, which opens the torrent at the problem's byte (or its row of the Problems tab).
import * as vscode from 'vscode';
import type { Diagnostic } from '../../core/metainfo/types';
import { Disposable } from '../../shared/disposable';
import type { ParsedTorrent } from '../../view-model/editor/parsed-torrent';
import { problemLine } from '../../view-model/editor/list-models';

export const SHOW_PROBLEM_COMMAND = 'torrentLens.showProblem';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class TorrentDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('torrentLens'));

  /** The problems of this version of the file, in place of the ones before. */
  show(uri: vscode.Uri, parsed: ParsedTorrent): void {
    this.collection.set(
      uri,
      parsed.problems.map((problem, index) => {
        const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), problemLine(problem), SEVERITY[problem.severity]);
        diagnostic.source = 'Torrent Lens';
        diagnostic.code = { value: problem.code, target: showProblemUri(uri, parsed.version, index) };
        return diagnostic;
      }),
    );
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }
}

/** A `command:` link that opens the torrent at problem `index` of `version` (see `torrentLens.showProblem`). */
export function showProblemUri(uri: vscode.Uri, version: number, index: number): vscode.Uri {
  return vscode.Uri.parse(`command:${SHOW_PROBLEM_COMMAND}?${encodeURIComponent(JSON.stringify([uri.toString(), version, index]))}`);
}
