import { Toxiproxy } from "toxiproxy-node-client";

/** Deletes every proxy whose name starts with `prefix` on a server (used by `exlab clean`). */
export async function removeProxiesWithPrefix(url: string, prefix: string): Promise<number> {
  const client = new Toxiproxy(url);
  const all = await client.getAll();
  const mine = Object.values(all).filter((p) => p.name.startsWith(prefix));
  await Promise.all(mine.map((p) => p.remove().catch(() => {})));
  return mine.length;
}
