import { containsJson } from "../common";
import type { CallResult } from "../machine";
import { serverOf } from "../topology";
import { ExpectationError } from "./errors";
import { resolveName } from "./names";
import { activeLinksTo } from "./convergence";
import type { StartedLab } from "./started-lab";
import { fmt, holdFor, notYet, ok, type Look } from "./wait";

/**
 * The lab's assertions: each polls the lab until it holds or its deadline passes ("never" ones hold for the whole
 * window) and, on failure, says what was seen instead. The Gherkin steps are one-line calls of these.
 */
const list = (xs: readonly string[]) => `[${xs.join(", ")}]`;

async function seen(lab: StartedLab, address: string): Promise<string[]> {
  return lab.seenServices(address);
}

export function seesService(lab: StartedLab, address: string, service: string, withinMs: number): Promise<void> {
  lab.process(address);
  lab.checkService(service);
  return lab.waitFor(`${address} never saw service ${service}`, withinMs, async () => {
    const s = await seen(lab, address);
    return s.includes(service) ? ok(undefined) : notYet(`it saw: ${list(s)}`);
  });
}

export function noLongerSeesService(
  lab: StartedLab,
  address: string,
  service: string,
  withinMs: number,
): Promise<void> {
  lab.process(address);
  lab.checkService(service);
  return lab.waitFor(`${address} still saw service ${service}`, withinMs, async () => {
    const s = await seen(lab, address);
    return s.includes(service) ? notYet(`it saw: ${list(s)}`) : ok(undefined);
  });
}

export function neverSeesService(lab: StartedLab, address: string, service: string, windowMs: number): Promise<void> {
  lab.process(address);
  lab.checkService(service);
  return holdFor(`${address} should never see service ${service}`, windowMs, async () => {
    const s = await seen(lab, address);
    return s.includes(service) ? notYet(`it saw it: ${list(s)}`) : ok(undefined);
  });
}

/** Processes that run now (their machine is up and not frozen). */
export function upProcesses(lab: StartedLab): string[] {
  return lab.processes().filter((p) => lab.isUp(p));
}

export function everyProcessSees(lab: StartedLab, service: string, withinMs: number): Promise<void> {
  lab.checkService(service);
  return lab.waitFor(`not every process saw service ${service}`, withinMs, async () => {
    const views = await Promise.all(upProcesses(lab).map(async (p) => [p, await seen(lab, p)] as const));
    const missing = views.filter(([, s]) => !s.includes(service)).map(([p, s]) => `${p} saw ${list(s)}`);
    return missing.length ? notYet(`missing at: ${missing.join("; ")}`) : ok(undefined);
  });
}

/** A table: the first column names processes, the other columns services, cells "yes"/"no". */
export function servicesSeenAre(lab: StartedLab, header: string[], rows: string[][], withinMs: number): Promise<void> {
  const services = header.slice(1);
  for (const s of services) lab.checkService(s);
  for (const [p, ...cells] of rows) {
    lab.process(p);
    for (const c of cells) {
      if (!/^(yes|no)$/i.test(c.trim())) throw new ExpectationError(`cell "${c}" in row ${p}: write yes or no`);
    }
  }
  return lab.waitFor("the services seen differ from the table", withinMs, async () => {
    const wrong: string[] = [];
    await Promise.all(
      rows.map(async ([p, ...cells]) => {
        const s = await seen(lab, p);
        services.forEach((svc, i) => {
          const want = cells[i].trim().toLowerCase() === "yes";
          if (s.includes(svc) !== want) wrong.push(`${p} ${want ? "does not see" : "sees"} ${svc}`);
        });
      }),
    );
    return wrong.length ? notYet(`${wrong.sort().join("; ")}`) : ok(undefined);
  });
}

export function groupMembersAre(
  lab: StartedLab,
  group: string,
  address: string,
  expected: string,
  withinMs: number,
): Promise<void> {
  lab.process(address);
  const want = expected
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
  return lab.waitFor(`${address} never saw members ${list(want)} in service group ${group}`, withinMs, async () => {
    const got = [...((await lab.view(address)).seen.groups[group] ?? [])].sort();
    return JSON.stringify(got) === JSON.stringify(want) ? ok(undefined) : notYet(`it saw: ${list(got)}`);
  });
}

/**
 * A call with a method and arguments whose result contains `expected` ({@link containsJson}); resolves with the
 * call's result. Fails saying what the last call answered.
 */
export async function callAnswers(
  lab: StartedLab,
  from: string,
  service: string,
  request: { method: string; args: unknown },
  expected: unknown,
  withinMs: number,
): Promise<CallResult> {
  const want = JSON.stringify(expected);
  return callUntil(
    lab,
    from,
    service,
    withinMs,
    `a call from ${from} to ${service} (${request.method}) never answered ${want}`,
    (r) => r.outcome.kind === "RESPONSE" && containsJson(r.outcome.result, expected),
    request,
    (r) => `${describeOutcome(r)}${r.outcome.kind === "RESPONSE" ? ` ${JSON.stringify(r.outcome.result)}` : ""}`,
  );
}

function describeOutcome(r: CallResult): string {
  const o = r.outcome as { kind: string; description?: string; code?: number };
  const who = r.answeredBy ? ` from ${r.answeredBy.machine}/${r.answeredBy.process}` : "";
  return `${o.kind}${o.code !== undefined && o.kind !== "RESPONSE" ? ` (${o.code})` : ""}${who}${o.description ? `: ${o.description}` : ""}`;
}

function callUntil(
  lab: StartedLab,
  from: string,
  service: string,
  withinMs: number,
  failure: string,
  accept: (r: CallResult) => boolean,
  request: { method?: string; args?: unknown } = {},
  show: (r: CallResult) => string = describeOutcome,
): Promise<CallResult> {
  lab.process(from);
  lab.checkService(service);
  const end = Date.now() + withinMs;
  return lab.waitFor(failure, withinMs, async () => {
    const timeoutMs = Math.max(500, Math.min(lab.plan.timing.requestTimeoutMs, end - Date.now()));
    const r = await lab.call(from, service, { ...request, timeoutMs });
    return accept(r) ? ok(r) : notYet(`the last call gave ${show(r)}`);
  });
}

export async function canCall(lab: StartedLab, from: string, service: string, withinMs: number): Promise<void> {
  await callUntil(
    lab,
    from,
    service,
    withinMs,
    `${from} could not call service ${service}`,
    (r) => r.outcome.kind === "RESPONSE",
  );
}

export async function callAnsweredBy(
  lab: StartedLab,
  from: string,
  service: string,
  by: string,
  withinMs: number,
): Promise<void> {
  lab.process(by);
  await callUntil(
    lab,
    from,
    service,
    withinMs,
    `a call from ${from} to ${service} was never answered by ${by}`,
    (r) => {
      const a = r.answeredBy;
      return r.outcome.kind === "RESPONSE" && a !== null && `${a.machine}/${a.process}` === by;
    },
  );
}

export async function callFailsWith(
  lab: StartedLab,
  from: string,
  service: string,
  code: string,
  withinMs: number,
): Promise<void> {
  await callUntil(lab, from, service, withinMs, `a call from ${from} to ${service} never failed with ${code}`, (r) => {
    const o = r.outcome as { kind: string; code?: number };
    return o.kind === code || (o.kind === "FAILURE" && String(o.code) === code);
  });
}

function contentText(content: unknown): string {
  return typeof content === "string" ? content : JSON.stringify(content);
}

export function receivesReport(
  lab: StartedLab,
  address: string,
  text: string,
  subject: string,
  withinMs: number,
): Promise<void> {
  lab.process(address);
  return lab.waitFor(`${address} never received "${text}" on subject ${subject}`, withinMs, async () => {
    const got = lab.reportsReceived(address);
    if (got.some((r) => r.subject === subject && contentText(r.content) === text)) return ok(undefined);
    return notYet(
      `it received: ${got.length ? list(got.map((r) => `"${contentText(r.content)}" on ${r.subject}`)) : "nothing"}`,
    );
  });
}

/** A link of `address` closed with `reason`, refused by `by` (a process, or any process of a machine). */
export function refusedBy(
  lab: StartedLab,
  address: string,
  by: string,
  reason: string,
  withinMs: number,
): Promise<void> {
  lab.process(address);
  const target = resolveName(lab.plan, by);
  const isBy = (node: string | undefined) =>
    node !== undefined && (target.kind === "machine" ? node.startsWith(`${target.machine}/`) : node === by);
  return lab.waitFor(`${address} was never refused by ${by} with ${reason}`, withinMs, async () => {
    const closes: string[] = [];
    for (const e of lab.events()) {
      if (e.type !== "exchange" || e.event.type !== "link" || e.event.state !== "CLOSED" || !e.event.reason) continue;
      const mine = e.process === address && isBy(e.event.peer?.nodeName) && !e.event.rejectSent;
      const theirs = isBy(e.process) && e.event.peer?.nodeName === address && e.event.rejectSent === true;
      if ((mine || theirs) && e.event.reason === reason) return ok(undefined);
      if (e.process === address)
        closes.push(`${e.event.reason}${e.event.peer ? ` from ${e.event.peer.nodeName}` : ""}`);
    }
    return notYet(`its links closed with: ${closes.length ? list([...new Set(closes)]) : "nothing"}`);
  });
}

/** A machine name stands for its exchange server of group "". */
function linkEnd(lab: StartedLab, name: string): string {
  const r = resolveName(lab.plan, name);
  if (r.kind === "process") return name;
  const server = serverOf(lab.plan, r.machine, "");
  if (!server) throw new ExpectationError(`machine ${name} has no exchange server of group "": name a process`);
  return server.address;
}

export function shareExactlyOneLink(lab: StartedLab, a: string, b: string, withinMs: number): Promise<void> {
  const [pa, pb] = [linkEnd(lab, a), linkEnd(lab, b)];
  return lab.waitFor(`${pa} and ${pb} never shared exactly one link`, withinMs, async (): Promise<Look<void>> => {
    const [va, vb] = await Promise.all([lab.view(pa), lab.view(pb)]);
    const [na, nb] = [activeLinksTo(va, pb).length, activeLinksTo(vb, pa).length];
    return na === 1 && nb === 1
      ? ok(undefined)
      : notYet(`${pa} has ${na} active link(s) to ${pb}, ${pb} has ${nb} to ${pa}`);
  });
}

export { fmt };
