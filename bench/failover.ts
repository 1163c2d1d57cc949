/**
 * The owner's failover, as a crash causes it: viewers of one streaming session on every
 * instance, the process group of the instance holding the runner's lease SIGKILLed mid-turn
 * (the owner is read from the lease key, `<instanceId> <epoch>`), then the time until another
 * instance holds the lease and until viewers on the surviving instances get text again, and
 * whether each of them ends with the whole text.
 */
import type { Redis } from "~/server/cluster/redis";
import { followRunner, viewSession, type Arrivals } from "./client";
import type { Cluster } from "./cluster-app";
import { longText } from "./live-run";
import { sleep, waitFor, within } from "./wait";

// About 30 s at the standalone runner's pace (cluster.ts): its owner is killed in the middle.
const DELTAS = 3_000;
const VIEWERS_PER_INSTANCE = 3;

/** The instance holding the lease, once it carries its epoch (`<id> pending` is a take in progress). */
const holder = (lease: string | null) => /^(\S+) \d+$/.exec(lease ?? "")?.[1];

/** When the stream first got text at or after `since`. */
function firstAfter(arrivals: Arrivals, since: number): number | undefined {
  return arrivals.at.find((at) => at >= since);
}

export async function failover(cluster: Cluster, runnerId: string, redis: Redis, leaseKey: string, log: (line: string) => void) {
  const ac = new AbortController();
  try {
    const target = cluster.target(runnerId);
    const session = await target.createSession();
    const direct = followRunner(target.endpoint, target.directory, session.opencodeId, ac.signal);
    const views = cluster.instances.flatMap((instance) =>
      Array.from({ length: VIEWERS_PER_INSTANCE }, () => ({ instance: instance.id, arrivals: viewSession(instance.client, session, ac.signal) })),
    );
    await within(Promise.all([direct.opened, ...views.map((v) => v.arrivals.opened)]), 60_000, "snapshot at every failover viewer");
    await sleep(1000); // subscriptions registered on the servers
    const expected = longText(DELTAS);
    await target.prompt(session.id, `Stream it. demo:long=${DELTAS}`);
    // Mid-turn: every viewer has some of the text, opencode is still sending the rest.
    await waitFor(() => views.every((v) => v.arrivals.total > 0), 60_000, "text at every failover viewer");
    const lease = await redis.get(leaseKey);
    const owner = cluster.instances.find((instance) => instance.id === holder(lease));
    if (!owner) throw new Error(`the lease ${leaseKey} names no instance of the run (${lease ?? "no lease"}): are the instances running with REDIS_URL?`);
    const leaseTtlMs = await redis.pttl(leaseKey);
    const charsAtKill = direct.total;
    const killedAt = performance.now();
    owner.kill();
    log(`  SIGKILLed ${owner.id} (lease ${lease}, ${leaseTtlMs} ms left) at ${charsAtKill} of ${expected} chars`);
    if (charsAtKill >= expected) throw new Error(`the turn had ended before the kill (${charsAtKill} chars): not a failover mid-turn`);

    let newLease: string | null = null;
    for (;;) {
      newLease = await redis.get(leaseKey);
      if (holder(newLease) && holder(newLease) !== owner.id) break;
      if (performance.now() - killedAt > 120_000) throw new Error(`no other instance took the lease within 120 s (${newLease ?? "no lease"})`);
      await sleep(5);
    }
    const leaseMs = performance.now() - killedAt;
    log(`  ${holder(newLease)} holds the lease (${newLease}) ${Math.round(leaseMs)} ms after the kill`);

    const survivors = views.filter((v) => v.instance !== owner.id).map((v) => v.arrivals);
    await waitFor(() => survivors.every((s) => s.total >= expected), 240_000, "the whole text at every surviving viewer").catch((error: Error) =>
      log(`  ${error.message}`),
    );
    // Text that arrived before the takeover was the old owner's, still on its way when it died.
    const takenOverAt = killedAt + leaseMs;
    const next = survivors.map((s) => firstAfter(s, takenOverAt)).filter((at) => at !== undefined);
    const complete = survivors.filter((s) => s.total >= expected).length;
    const survivor = cluster.instances.find((instance) => instance.id !== owner.id)!;
    await cluster.target(runnerId, survivor).waitIdle(session.id, 1, 120_000);
    return {
      killed: owner.id,
      lease,
      newLease,
      leaseTtlMs,
      charsAtKill,
      expectedChars: expected,
      leaseMs,
      /** Null when no surviving viewer got text after the takeover. */
      nextTextMs: next.length > 0 ? { first: Math.min(...next) - killedAt, last: Math.max(...next) - killedAt, viewers: next.length } : null,
      survivors: survivors.length,
      complete,
      leastChars: Math.min(...survivors.map((s) => s.total)),
      runnerChars: direct.total,
    };
  } finally {
    ac.abort();
  }
}
