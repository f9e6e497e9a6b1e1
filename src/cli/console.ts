import { faultArgs, faultArgsFromWords, faultDoneMessage, faultSyntax, faultVerbs, type StartedLab } from "../lab";

/** The help's lines of fault verbs: the table's syntax (and note), three to a line in the help's columns. */
function faultHelp(): string[] {
  const cells = faultVerbs().map((v) => (v.console?.note ? `${faultSyntax(v)}  ${v.console.note}` : faultSyntax(v)));
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i += 3) {
    const [a, b, c] = cells.slice(i, i + 3);
    lines.push(`  ${b === undefined ? a : `${a.padEnd(30)} ${c === undefined ? b : `${b.padEnd(29)} ${c}`}`}`);
  }
  return lines;
}

/**
 * The commands `exlab up` reads from its standard input, each run against a started lab: the lab's own, and every
 * verb of the fault table (with those registered so far). `execute` returns the text to print; it throws only for
 * an unknown command or bad arguments (the message says how to write it).
 */
export function consoleHelp(): string {
  return [
    "commands:",
    "  crash <machine|process>        stop <machine|process>        start <machine|process>",
    "  freeze <machine>               thaw <machine>",
    ...faultHelp(),
    "  call <process> <service>       view <process>                status",
    "  help                           quit",
  ].join("\n");
}

export function describeLab(lab: StartedLab): string {
  const lines = [
    `lab "${lab.plan.name}" (run ${lab.runId}, driver ${lab.driver}), fault proxy ${lab.proxyServer.url} (${lab.proxyServer.kind})`,
  ];
  for (const name of lab.machines()) {
    const m = lab.machine(name);
    lines.push(`  machine ${m.name} [${m.state}] at ${m.host}${m.controlUrl ? `, control API ${m.controlUrl}` : ""}`);
    for (const address of m.processes) {
      const p = lab.plan.processes.find((x) => x.address === address)!;
      const eps = p.endpoints.map(
        (e) =>
          `${e.role} "${e.group}"${e.listen ? ` :${e.listen}` : ""}${e.dials.length ? ` → ${e.dials.map((d) => d.to).join(", ")}` : ""}`,
      );
      const svcs = p.services.map((s) => `${s.name}${s.audience === "*" ? "" : ` (audience "${s.audience}")`}`);
      const st = lab.process(address);
      lines.push(
        `    ${address} [${st.machineState === "running" ? st.state : st.machineState}]: ${eps.join("; ")}${svcs.length ? `; services ${svcs.join(", ")}` : ""}`,
      );
    }
  }
  lines.push("  proxies:");
  for (const p of lab.proxies()) lines.push(`    ${p.name}: ${p.listenHost}:${p.listenPort} → ${p.upstream}`);
  return lines.join("\n");
}

function need(args: string[], n: number, usage: string): void {
  if (args.length < n) throw new Error(`usage: ${usage}`);
}

export async function execute(lab: StartedLab, line: string): Promise<string | "quit"> {
  const [cmd, ...args] = line.trim().split(/\s+/).filter(Boolean);
  switch (cmd) {
    case undefined:
      return "";
    case "help":
      return consoleHelp();
    case "quit":
    case "exit":
      return "quit";
    case "status":
      return describeLab(lab);
    case "crash":
      need(args, 1, "crash <machine|process>");
      await lab.crash(args[0]);
      return `${args[0]} crashed`;
    case "stop":
      need(args, 1, "stop <machine|process>");
      await lab.shutdown(args[0]);
      return `${args[0]} shut down`;
    case "start":
      need(args, 1, "start <machine|process>");
      await lab.startAgain(args[0]);
      return `${args[0]} started again`;
    case "freeze":
      need(args, 1, "freeze <machine>");
      await lab.freeze(args[0]);
      return `${args[0]} frozen`;
    case "thaw":
      need(args, 1, "thaw <machine>");
      await lab.thaw(args[0]);
      return `${args[0]} thawed`;
    case "call": {
      need(args, 2, "call <process> <service>");
      const r = await lab.call(args[0], args[1]);
      return JSON.stringify(r, null, 2);
    }
    case "view": {
      need(args, 1, "view <process>");
      const v = await lab.view(args[0]);
      const links = v.dump.links.map(
        (l) => `${l.state} ${l.role}/${l.group || '""'} ${l.dialer ? "→" : "←"} ${l.peer?.nodeName ?? l.remote ?? "?"}`,
      );
      return [
        `${v.address} (pid ${v.pid})`,
        `  links: ${links.join("; ") || "none"}`,
        `  services seen: ${v.seen.services.join(", ") || "none"}`,
        `  groups: ${JSON.stringify(v.seen.groups)}`,
      ].join("\n");
    }
    default: {
      const verb = faultVerbs().find((v) => v.name === cmd);
      if (!verb) throw new Error(`unknown command "${cmd}"\n${consoleHelp()}`);
      const values = faultArgsFromWords(verb, args);
      await lab.faults.apply(verb.name, values);
      return faultDoneMessage(verb, faultArgs(verb, values));
    }
  }
}
