// Resident memory of one Chromium's processes, read from /proc: the browser
// process is the one whose command line names the profile directory (each
// launchChromium has its own), its renderers are its descendants started with
// --type=renderer (the page and its decode workers: workers are threads of
// the renderer), the GPU process (SwiftShader's textures) is --type=gpu-process.
import { readdir, readFile } from 'node:fs/promises';

export interface ChromiumProcess {
  pid: number;
  type: string;
}

async function cmdline(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

async function parentOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces or parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/** The processes of the Chromium using `userDataDir`, with their --type (browser for the main one). */
export async function chromiumProcesses(userDataDir: string): Promise<ChromiumProcess[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const parents = new Map<number, number | null>();
  await Promise.all(pids.map(async (pid) => parents.set(pid, await parentOf(pid))));
  const browsers: number[] = [];
  for (const pid of pids) {
    const args = await cmdline(pid);
    if (args.some((a) => a === `--user-data-dir=${userDataDir}`) && !args.join(' ').includes('--type=')) browsers.push(pid);
  }
  const out: ChromiumProcess[] = browsers.map((pid) => ({ pid, type: 'browser' }));
  const isDescendant = (pid: number): boolean => {
    let at: number | null | undefined = parents.get(pid);
    for (let depth = 0; at && depth < 10; depth += 1) {
      if (browsers.includes(at)) return true;
      at = parents.get(at);
    }
    return false;
  };
  for (const pid of pids) {
    if (!isDescendant(pid)) continue;
    // Zygote-forked processes rewrite their command line as one space-separated string.
    const type = /(?:^| )--type=(\S+)/.exec((await cmdline(pid)).join(' '))?.[1];
    if (type) out.push({ pid, type });
  }
  return out;
}

/** VmRSS in bytes (0 when the process is gone). */
export async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface MemorySample {
  /** The largest renderer's RSS (the page's renderer: a spare one stays small). */
  renderer: number;
  gpu: number;
  browser: number;
}

export async function sampleMemory(processes: readonly ChromiumProcess[]): Promise<MemorySample> {
  const sample: MemorySample = { renderer: 0, gpu: 0, browser: 0 };
  for (const p of processes) {
    const rss = await rssBytes(p.pid);
    if (p.type === 'renderer') sample.renderer = Math.max(sample.renderer, rss);
    else if (p.type === 'gpu-process') sample.gpu = Math.max(sample.gpu, rss);
    else if (p.type === 'browser') sample.browser = Math.max(sample.browser, rss);
  }
  return sample;
}

/** Samples every `everyMs` until stopped; keeps the peak of each kind. */
export function watchPeakMemory(processes: readonly ChromiumProcess[], everyMs = 200): { stop(): Promise<MemorySample> } {
  const peak: MemorySample = { renderer: 0, gpu: 0, browser: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const s = await sampleMemory(processes);
      peak.renderer = Math.max(peak.renderer, s.renderer);
      peak.gpu = Math.max(peak.gpu, s.gpu);
      peak.browser = Math.max(peak.browser, s.browser);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
