/**
 * chrony lab: the real chronyd (Debian's package, see scripts/install-chronyd.sh) running on a
 * configuration inside the kernel lab's receiver namespace, probed with NTP client requests and chronyc
 * command requests from chosen source addresses (test/netns/chrony-probe.py).
 *
 * The namespaces, the veth pair and the addresses are the kernel lab's (harness.ts, used as is): remote
 * probes come from the sender namespace over eth0 from any IPv4/IPv6 source, local probes are sent inside
 * the receiver namespace from loopback sources. No iptables rules are loaded, so every answer or silence is
 * chronyd's own doing. chronyd runs with `-x` (it never touches the clock), `-u root`, its pid file and
 * Unix command socket in a private directory, and is stopped after each configuration.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { KernelLab, LAB, netnsAvailable } from "./harness.js";
import { chronydAvailable } from "../chrony/chronyd.js";

const PROBE_SCRIPT = path.resolve(import.meta.dirname, "chrony-probe.py");

export type ChronyLabAvailability = { ok: true; chronyd: string; python: string } | { ok: false; reason: string };

export function chronyLabAvailable(): ChronyLabAvailability {
  const net = netnsAvailable();
  if (!net.ok) return { ok: false, reason: net.reason };
  const c = chronydAvailable();
  if (!c.ok) return { ok: false, reason: c.reason };
  return { ok: true, chronyd: c.chronyd, python: net.python };
}

export interface ChronyProbe {
  /** Source address of the request. */
  src: string;
  kind: "ntp" | "cmd";
  /** Destination port (NTP: the configured `port`, command: `cmdport`). */
  port: number;
  /** Destination address; default: the receiver's address of the source's family, or loopback for local sources. */
  dst?: string;
  /** Sent from inside the server's namespace (loopback sources) rather than over the link. */
  local?: boolean;
}

export interface ChronyRun {
  /** Indexes of the probes that got an answer. */
  answered: Set<number>;
  /** chronyd's stderr (it runs with -d). */
  log: string;
  /** Set when chronyd exited before the probes (it refused the configuration). */
  exited: number | null;
}

/** One lab: namespaces built once, a fresh chronyd per configuration. Always `close()`. */
export class ChronyLab {
  private readonly kernel: KernelLab;
  private readonly work: string;

  private constructor(private readonly availability: Extract<ChronyLabAvailability, { ok: true }>) {
    this.kernel = KernelLab.create();
    this.work = mkdtempSync(path.join(tmpdir(), "ntpp-chrony-lab-"));
  }

  static create(): ChronyLab {
    const a = chronyLabAvailable();
    if (!a.ok) throw new Error(`chrony lab unavailable: ${a.reason}`);
    return new ChronyLab(a);
  }

  /** The lines the lab adds to every configuration: a private pid file and Unix command socket. */
  labLines(): string {
    return `pidfile ${this.work}/chronyd.pid\nbindcmdaddress ${this.work}/chronyd.sock\n`;
  }

  /**
   * Starts chronyd on `config` (the lab's own lines appended) with extra command-line `args` (e.g. ["-4"]),
   * sends the probes, stops chronyd. Probes are sent once every socket chronyd opens at start-up exists.
   */
  async run(config: string, probes: ChronyProbe[], args: string[] = []): Promise<ChronyRun> {
    const confPath = path.join(this.work, "chrony.conf");
    writeFileSync(confPath, `${config}${config.endsWith("\n") || config === "" ? "" : "\n"}${this.labLines()}`);
    rmSync(path.join(this.work, "chronyd.pid"), { force: true });
    rmSync(path.join(this.work, "chronyd.sock"), { force: true });
    const child = spawn(
      "ip",
      ["netns", "exec", this.kernel.receiverNs, this.availability.chronyd, "-d", "-x", "-u", "root", "-F", "0", "-L", "0", ...args, "-f", confPath],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    let exited: number | null = null;
    child.on("exit", (code) => (exited = code ?? -1));
    try {
      await this.waitReady(child, () => exited !== null);
      if (exited !== null) return { answered: new Set(), log, exited };
      const request = {
        receiver_ns: this.kernel.receiverNs,
        sender_ns: this.kernel.senderNs,
        sender_if: LAB.senderInterface,
        wait_ms: 250,
        sentinel: { server: path.join(this.work, "chronyd.sock"), client: path.join(this.work, "probe.sock") },
        probes: probes.map((p) => ({
          src: p.src,
          dst: p.dst ?? defaultDestination(p),
          port: p.port,
          kind: p.kind,
          local: p.local ?? false,
        })),
      };
      const out = JSON.parse(await runPython(this.availability.python, JSON.stringify(request))) as {
        answered: number[];
        errors: { index: number; error: string }[];
      };
      if (out.errors.length > 0) throw new Error(`chrony probe could not send: ${out.errors.map((e) => e.error).join("; ")}`);
      return { answered: new Set(out.answered), log, exited };
    } finally {
      await stop(child, () => exited !== null);
    }
  }

  close(): void {
    this.kernel.close();
    rmSync(this.work, { recursive: true, force: true });
  }

  /**
   * chronyd (main.c) opens the IP command sockets (CAM_Initialise), then the NTP server sockets
   * (CNF_SetupAccessRestrictions), and only then the Unix command socket (CAM_OpenUnixSocket), before its
   * main loop. So once the Unix socket exists every IP socket exists too, and a request sent from then on
   * waits in its socket buffer until the main loop answers it: readiness is exact, not a guess.
   */
  private async waitReady(child: ChildProcess, gone: () => boolean): Promise<void> {
    const sock = path.join(this.work, "chronyd.sock");
    const pid = path.join(this.work, "chronyd.pid");
    const deadline = Date.now() + 5000;
    while (!gone() && Date.now() < deadline) {
      if (existsSync(sock) && existsSync(pid) && readFileSync(pid, "utf8").trim() !== "") break;
      await sleep(5);
    }
    if (!gone() && Date.now() >= deadline) throw new Error(`chronyd did not start (pid ${child.pid})`);
  }
}

function defaultDestination(p: ChronyProbe): string {
  const v6 = p.src.includes(":");
  if (p.local) return v6 ? "::1" : "127.0.0.1";
  return v6 ? LAB.receiver.v6 : LAB.receiver.v4;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function stop(child: ChildProcess, gone: () => boolean): Promise<void> {
  if (gone()) return;
  child.kill("SIGTERM");
  for (let i = 0; i < 200 && !gone(); i++) await sleep(5);
  if (!gone()) child.kill("SIGKILL");
  for (let i = 0; i < 200 && !gone(); i++) await sleep(5);
}

function runPython(python: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, ["-I", "-S", PROBE_SCRIPT], { encoding: "utf8", timeout: 20_000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`chrony-probe.py failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}
