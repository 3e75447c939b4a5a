// Resource limits of the page (README "Limits"). The browser holds the file, a copy in
// the WebAssembly memory and the parsed columns at once; a file over this size would
// freeze or kill the tab, so it is refused, with a message, before it is read.
// The same number is `survlens::limits::MAX_PAGE_FILE_BYTES` in the Rust core.
import { fileSize as formatSize } from '../lib/format.js';

export const MAX_FILE_BYTES = 2 ** 30; // 1 GiB

/** An error object ({kind, message}) when a file of `size` bytes is too large, else null. */
export function fileTooLarge(size) {
  if (!(size > MAX_FILE_BYTES)) return null;
  return {
    kind: 'file_too_large',
    message: `The file is ${formatSize(size)}; the page reads files up to ${formatSize(MAX_FILE_BYTES)}. `
      + 'Remove columns the analysis does not use, or analyse it with the command-line tool '
      + '(survlens analyze FILE --spec SPEC.json), which has no such limit.',
  };
}
