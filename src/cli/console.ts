import { parseDuration } from "../topology";
import type { StartedLab } from "../lab";

/**
 * The commands `exlab up` reads from its standard input, each run against a started lab. `execute` returns the
 * text to print; it throws only for an unknown command or bad arguments (the message says how to write it).
 */
export const CONSOLE_HELP = `commands:
  crash <machine|process>        stop <machine|process>        start <machine|process>
  freeze <machine>               thaw <machine>
  cut <a> <b>                    blackhole <a> <b>             heal [<a> <b>]  (no names: everything)
  isolate <name>                 oneway <from> <to>            latency <a> <b> <duration> [<jitter>]
  bandwidth <a> <b> <KB/s>
  call <process> <service>       view <process>                status
  help                           quit`;

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
      return CONSOLE_HELP;
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
    case "cut":
      need(args, 2, "cut <a> <b>");
      await lab.faults.cut(args[0], args[1]);
      return `link ${args[0]} ⇄ ${args[1]} cut`;
    case "blackhole":
      need(args, 2, "blackhole <a> <b>");
      await lab.faults.blackhole(args[0], args[1]);
      return `link ${args[0]} ⇄ ${args[1]} blackholed`;
    case "heal":
      if (args.length >= 2) {
        await lab.faults.heal(args[0], args[1]);
        return `link ${args[0]} ⇄ ${args[1]} healed`;
      }
      await lab.faults.healAll();
      return "the network healed";
    case "isolate":
      need(args, 1, "isolate <name>");
      await lab.faults.isolate(args[0]);
      return `${args[0]} isolated`;
    case "oneway":
      need(args, 2, "oneway <from> <to>");
      await lab.faults.oneWay(args[0], args[1]);
      return `${args[0]} can no longer reach ${args[1]}`;
    case "latency": {
      need(args, 3, "latency <a> <b> <duration> [<jitter>]");
      const ms = parseDuration(args[2]);
      const jitter = args[3] ? parseDuration(args[3]) : 0;
      await lab.faults.latency(args[0], args[1], ms, jitter);
      return `link ${args[0]} ⇄ ${args[1]}: ${ms} ms latency${jitter ? ` ± ${jitter} ms` : ""}`;
    }
    case "bandwidth": {
      need(args, 3, "bandwidth <a> <b> <KB/s>");
      const rate = Number(args[2]);
      if (!Number.isFinite(rate) || rate < 0) throw new Error(`bandwidth: "${args[2]}" is not a rate in KB/s`);
      await lab.faults.bandwidth(args[0], args[1], rate);
      return `link ${args[0]} ⇄ ${args[1]} limited to ${rate} KB/s`;
    }
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
    default:
      throw new Error(`unknown command "${cmd}"\n${CONSOLE_HELP}`);
  }
}
