// Exclude patterns for creating a torrent, in the shell's glob syntax as gitignore reads it:
//   *  any characters but '/'      ?  one character but '/'      [abc] [a-z] [!abc]  one of (not) these
//   ** any number of whole path elements (a/**/b, **/x, a/**)   \x  the character x itself
// A pattern without '/' is tried against every path element (`*.nfo`, `.git`); one with '/' against
// the whole path from the top of the torrent (`sub/*.tmp`; a leading '/' changes nothing). A pattern
// that matches a folder excludes everything in it.

export interface PathMatcher {
  /** Whether there is any pattern at all: without one, callers need not even decode names. */
  readonly active: boolean;
  /** Whether the path (elements below the torrent's top, '/'-joined) is excluded. */
  matches(elements: readonly string[]): boolean;
}

export function compileExcludes(patterns: readonly string[]): PathMatcher {
  const byName: RegExp[] = [];
  const byPath: RegExp[] = [];
  for (const pattern of patterns) {
    if (pattern === '') throw new Error('an exclude pattern is empty');
    const trimmed = pattern.replace(/\/+$/, '');
    if (trimmed.replace(/^\/+/, '').includes('/')) byPath.push(globToRegExp(trimmed.replace(/^\/+/, '')));
    else byName.push(globToRegExp(trimmed.replace(/^\/+/, '')));
  }
  return {
    active: patterns.length > 0,
    matches(elements) {
      if (byName.length && elements.some((name) => byName.some((re) => re.test(name)))) return true;
      if (byPath.length === 0) return false;
      // A folder that matches takes its contents with it: try every leading part of the path.
      let path = '';
      for (const element of elements) {
        path = path ? `${path}/${element}` : element;
        if (byPath.some((re) => re.test(path))) return true;
      }
      return false;
    },
  };
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) {
      re += escapeRegExp(glob[++i]);
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches zero or more leading folders; a trailing `/**` everything below.
          if (i + 2 === glob.length) re += '.*';
          else {
            re += '(?:[^/]*/)*';
            i++;
          }
          i++;
          continue;
        }
      }
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      re += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      re += escapeRegExp(c);
    }
  }
  return new RegExp(`^${re}$`, 'su');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
