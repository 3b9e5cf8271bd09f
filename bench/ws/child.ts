import type { ChildProcess } from 'node:child_process';

/** A benchmark process driven over IPC: `call` sends a command and resolves with its answer. */
export class Child {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: any): void; reject(error: Error): void }>();
  readonly ready: Promise<{ port: number }>;

  /** `onNotice` receives the messages the child sends on its own (not answers to a call). */
  constructor(
    readonly process: ChildProcess,
    onNotice: (message: any) => void,
  ) {
    this.ready = new Promise((resolve, reject) => {
      process.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
      process.on('message', (message: any) => {
        if (message.ready) return resolve(message);
        if (message.id === undefined) return onNotice(message);
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.result);
      });
    });
  }

  call<T = any>(cmd: string, args?: object): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.process.send({ id, cmd, args });
    });
  }
}
