import { spawn } from 'node:child_process';
import { Child } from './child';
import { ClientFleet } from './client-fleet';

/**
 * The clients of one run in two processes: every tenth client here, where its frames are timed,
 * and the other nine in load-clients.ts, where they are only counted. One process receiving for
 * 5,000 sockets takes tens of milliseconds to get through one message's frames, and a client near
 * the end of that queue would be timed late by the harness itself, not by the server; real clients
 * each have their own machine. Both processes connect in turns of 10 and 90, so the timed clients
 * are spread evenly over the server's subscriber order.
 */
export class SplitFleet {
  readonly timed = new ClientFleet(1);
  private burstDone: (() => void) | undefined;
  private loadCount = 0;
  private readonly load: Child;

  constructor() {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ws/load-clients.ts'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.load = new Child(child, (message) => {
      if (message.burstDone) this.burstDone?.();
    });
  }

  get size(): number {
    return this.timed.clients.length + this.loadCount;
  }

  get latency() {
    return this.timed.latency;
  }

  recordCommit(ticketTypeId: string, version: number, committedAt: number): void {
    this.timed.recordCommit(ticketTypeId, version, committedAt);
  }

  async connect(url: string, count: number, channel: string, awaitAnswer: boolean): Promise<void> {
    await this.load.ready;
    for (let opened = 0; opened < count; opened += 100) {
      const turn = Math.min(100, count - opened);
      const timed = Math.ceil(turn / 10);
      const [, loadCount] = await Promise.all([
        this.timed.connect(url, timed, channel, awaitAnswer),
        this.load.call<number>('connect', { url, count: turn - timed, channel, awaitAnswer }),
      ]);
      this.loadCount = loadCount;
    }
  }

  async measureLatencyOf(ticketTypeId: string): Promise<void> {
    this.timed.measureLatencyOf(ticketTypeId);
    await this.load.call('resetFrames');
  }

  async framesReceived(): Promise<number> {
    return this.timed.framesReceived + (await this.load.call<number>('frames'));
  }

  /** Armed when this resolves; `delivered` resolves when every client in both processes has `frames` burst frames. */
  async expectBurst(frames: number): Promise<{ delivered: Promise<void> }> {
    const loadDone = new Promise<void>((resolve) => {
      this.burstDone = resolve;
    });
    const timedDone = this.timed.expectBurst(frames);
    await this.load.call('expectBurst', { frames });
    return { delivered: Promise.all([timedDone, loadDone]).then(() => {}) };
  }

  async close(): Promise<void> {
    this.timed.close();
    await this.load.call('close').catch(() => {});
  }
}
