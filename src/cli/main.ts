// The `exlab` command. Sub-commands are added by the parts that own them (run, up, validate, proxy, clean).
export function main(argv: string[]): void {
  process.stdout.write(`exlab: no commands yet (got: ${argv.join(" ")})\n`);
}
