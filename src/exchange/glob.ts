/** OSE subject patterns (S-37): `*` matches any run of characters (including "." and "/"), `?` exactly one. */
const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
      c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : `\\${c}`,
    );
    re = new RegExp(`^${body}$`);
    if (cache.size > 10000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function matchSubject(pattern: string, subject: string): boolean {
  if (pattern === "*") return true;
  return compile(pattern).test(subject);
}
