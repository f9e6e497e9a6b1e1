/** Test support: used by the JUnit tests and the cucumber integration test. */
/** A small XML well-formedness check: balanced elements, quoted attributes, escaped text, legal characters. */
export function xmlProblem(xml: string): string | undefined {
  if (/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(xml)) return "illegal character";
  const stack: string[] = [];
  const re = /<[^<>]*>/g;
  let last = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const text = xml.slice(last, m.index);
    if (/&(?!(amp|lt|gt|quot|#39|#10|#13|#9);)/.test(text) || text.includes(">"))
      return `bad text before ${m[0]}: ${text.slice(0, 60)}`;
    last = re.lastIndex;
    const tag = m[0];
    if (tag.startsWith("<?")) continue;
    const close = /^<\/([\w:-]+)\s*>$/.exec(tag);
    if (close) {
      if (stack.pop() !== close[1]) return `unbalanced </${close[1]}>`;
      continue;
    }
    const open = /^<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(tag);
    if (!open) return `malformed tag ${tag.slice(0, 80)}`;
    if (/&(?!(amp|lt|gt|quot|#39|#10|#13|#9);)/.test(open[2])) return `unescaped & in ${tag.slice(0, 80)}`;
    if (!open[3]) stack.push(open[1]);
  }
  if (xml.slice(last).trim() !== "") return "text after the root";
  return stack.length ? `unclosed <${stack.join(">, <")}>` : undefined;
}
