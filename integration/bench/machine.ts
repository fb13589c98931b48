import os from 'node:os';

/** The machine a run measured, printed with the results and stored in the JSON file. */
export interface MachineInfo {
  /** CPU model as the OS reports it. */
  cpu: string;
  /** Logical cores available to Node. */
  cores: number;
  /** Total memory in GiB, one decimal. */
  memoryGiB: number;
  /** `linux 6.1.0 x64`. */
  os: string;
  /** Node version, for example `v20.19.4`. */
  node: string;
  /** 1-minute load average when the run started (0 on Windows). */
  loadAverage: number;
}

/** Describes this machine. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One line: `Intel Xeon ... (2 cores), 7.8 GiB, linux 6.1.0 x64, Node v20.19.4, load 1.2`. */
export function machineLine(machine: MachineInfo): string {
  return `${machine.cpu} (${machine.cores} cores), ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, load average ${machine.loadAverage} at start`;
}
