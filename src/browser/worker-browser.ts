import type { Browser } from 'playwright-core';
import { launchChromium } from '../stack/toolchain';
import { BROWSER_LAUNCH_TIMEOUT_MS } from './deadlines';
import { SiteSessionCache } from './site-session-cache';

/**
 * The one Chromium of a worker process, launched on first use and relaunched if it dies, plus the
 * login cookies cached per site for all of the process's episodes.
 */
export class WorkerBrowser {
  readonly sessions = new SiteSessionCache();
  private launching: Promise<Browser> | undefined;

  constructor(private readonly launch: () => Promise<Browser> = () => launchChromium({ timeout: BROWSER_LAUNCH_TIMEOUT_MS })) {}

  /** The running browser (launching or relaunching it when needed). */
  async browser(): Promise<Browser> {
    const current = this.launching ? await this.launching.catch(() => undefined) : undefined;
    if (current?.isConnected()) return current;
    this.launching = this.launch();
    return this.launching;
  }

  /** Closes the browser if it was launched. */
  async close(): Promise<void> {
    const current = this.launching ? await this.launching.catch(() => undefined) : undefined;
    this.launching = undefined;
    if (current?.isConnected()) await current.close();
  }
}

let processBrowser: WorkerBrowser | undefined;

/** The process-wide WorkerBrowser that episodes share (one browser per worker process). */
export function sharedWorkerBrowser(): WorkerBrowser {
  processBrowser ??= new WorkerBrowser();
  return processBrowser;
}
