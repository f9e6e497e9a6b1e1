import { lookup } from "node:dns/promises";
import { isIP, isIPv6, type AddressInfo, type Server } from "node:net";
import { listenError, messageOf } from "./errors";

/** A resolved TCP address; `ip` null = every interface (Go's empty host). */
export interface TcpAddress {
  ip: string | null;
  port: number;
}

/**
 * An address error worded as Go's net package words it. A bad listen address is answered as `FP_LISTEN` with this
 * as its cause; a bad upstream is logged when a client connects, as Toxiproxy does.
 */
export class AddressError extends Error {
  readonly code = "FP_BAD_ADDRESS";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AddressError";
  }
}

const addrError = (addr: string, why: string): AddressError =>
  new AddressError(addr === "" ? why : `address ${addr}: ${why}`);

/** Go's net.SplitHostPort. */
export function splitHostPort(hostport: string): { host: string; port: string } {
  const i = hostport.lastIndexOf(":");
  if (i < 0) throw addrError(hostport, "missing port in address");
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith("[")) {
    const end = hostport.indexOf("]");
    if (end < 0) throw addrError(hostport, "missing ']' in address");
    if (end + 1 === hostport.length) throw addrError(hostport, "missing port in address");
    if (end + 1 !== i) {
      throw addrError(hostport, hostport[end + 1] === ":" ? "too many colons in address" : "missing port in address");
    }
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(":")) throw addrError(hostport, "too many colons in address");
  }
  if (hostport.slice(j).includes("[")) throw addrError(hostport, "unexpected '[' in address");
  if (hostport.slice(k).includes("]")) throw addrError(hostport, "unexpected ']' in address");
  return { host, port: hostport.slice(i + 1) };
}

/** Go's port parsing: digits (with an optional sign) in 0..65535, "" = 0; service names are not looked up. */
export function parsePort(service: string): number {
  if (service === "") return 0;
  if (!/^[+-]?\d+$/.test(service)) throw new AddressError(`lookup tcp/${service}: unknown port`);
  const port = Number(service);
  if (port < 0 || port > 0xffff) throw addrError(service, "invalid port");
  return port;
}

/** Resolves a host the way Go's resolver does for "tcp": IP literals as-is, IPv4 preferred for names. */
export async function resolveHost(host: string): Promise<string | null> {
  if (host === "") return null;
  if (isIP(host.split("%")[0])) return host;
  if (host.toLowerCase() === "localhost") return "127.0.0.1";
  let cause: unknown;
  try {
    const addresses = await lookup(host, { all: true });
    const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
    if (chosen) return chosen.address;
  } catch (err) {
    cause = err;
  }
  throw new AddressError(`lookup ${host}: no such host`, { cause });
}

/** Go's net.ResolveTCPAddr("tcp", address). */
export async function resolveTcpAddress(address: string): Promise<TcpAddress> {
  if (address === "") return { ip: null, port: 0 };
  const { host, port } = splitHostPort(address);
  const portNumber = parsePort(port);
  return { ip: await resolveHost(host), port: portNumber };
}

/** Go's TCPAddr.String(): "ip:port", "[ipv6]:port" or ":port". */
export function formatTcpAddress({ ip, port }: TcpAddress): string {
  if (ip === null) return `:${port}`;
  return isIPv6(ip.split("%")[0]) ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** What Toxiproxy compares a requested listen address with: resolved, not bound ("localhost:0" → "127.0.0.1:0"). */
export async function resolvedListen(listen: string): Promise<string> {
  try {
    return formatTcpAddress(await resolveTcpAddress(listen));
  } catch (err) {
    throw listenError(messageOf(err), err);
  }
}

const ERRNO_TEXT: Record<string, string> = {
  EADDRINUSE: "address already in use",
  EACCES: "permission denied",
  EADDRNOTAVAIL: "cannot assign requested address",
  EAFNOSUPPORT: "address family not supported by protocol",
};

/**
 * Binds `server` as Go's net.Listen("tcp", listen) would and returns the address it got, formatted as Go does.
 * Wildcard hosts ("", "0.0.0.0", "::") get a dual-stack socket when the host supports it ("[::]:port").
 * Failures carry Go's text, e.g. "listen tcp 127.0.0.1:3310: bind: address already in use".
 */
export async function listenLikeGo(server: Server, listen: string): Promise<string> {
  let target: TcpAddress;
  try {
    target = await resolveTcpAddress(listen);
  } catch (err) {
    throw listenError(`listen tcp: ${messageOf(err)}`, err);
  }
  const wildcard = target.ip === null || target.ip === "0.0.0.0" || target.ip === "::";
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const text = ERRNO_TEXT[err.code ?? ""] ?? err.message;
      reject(listenError(`listen tcp ${formatTcpAddress(target)}: bind: ${text}`, err));
    };
    server.once("error", onError);
    const options = wildcard ? { port: target.port } : { port: target.port, host: target.ip as string };
    server.listen(options, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return formatTcpAddress({ ip: bound.address, port: bound.port });
}

/** Go's net.JoinHostPort: brackets around hosts that contain a colon. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
