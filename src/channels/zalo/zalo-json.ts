/**
 * Parses Zalo's JSON keeping every id exact: Zalo ids such as
 * "8839284716251773620" overflow JavaScript numbers, so any integer of more
 * than 15 digits outside a string is read as a string.
 */
export function parseZaloJson(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const token = match?.[0] ?? c;
      out += !match?.[1] && !match?.[2] && token.replace('-', '').length > 15 ? `"${token}"` : token;
      i += token.length - 1;
      continue;
    }
    out += c;
  }
  return JSON.parse(out);
}
